package dev.clones.media.avatars;

/** Where anyone can fetch the avatar: a stable address that redirects to the current image. */
public record AvatarView(String url) {
}
