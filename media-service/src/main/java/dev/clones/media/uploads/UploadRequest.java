package dev.clones.media.uploads;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/** A direct upload announced by the client: the signed URL accepts exactly this type and size. */
public record UploadRequest(
        @NotBlank String name,
        @NotBlank String contentType,
        @NotNull @PositiveOrZero Long size) {
}
