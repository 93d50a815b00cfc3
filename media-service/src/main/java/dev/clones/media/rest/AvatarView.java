package dev.clones.media.rest;

/** Where anyone can fetch the avatar: a stable address that redirects to the current image. */
public record AvatarView(String url) {
}
