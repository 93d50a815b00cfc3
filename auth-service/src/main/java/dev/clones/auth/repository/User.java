package dev.clones.auth.repository;

import java.time.Instant;
import java.util.Set;

public record User(String id, String email, String displayName, Set<String> roles, String passwordHash, Instant createdAt) {
}
