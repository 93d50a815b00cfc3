package dev.clones.auth.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record ProfileUpdate(@NotBlank @Size(max = 100) String displayName) {
}
