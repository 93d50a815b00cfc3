package dev.clones.media.avatars;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageFormatTest {

    private static Optional<ImageFormat> detect(byte[] bytes) {
        return ImageFormat.detect(bytes, bytes.length);
    }

    @Test
    void formatsAreRecognisedByTheirSignatures() {
        assertEquals(Optional.of(ImageFormat.PNG), detect(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13}));
        assertEquals(Optional.of(ImageFormat.JPEG), detect(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16}));
        assertEquals(Optional.of(ImageFormat.GIF), detect("GIF89a\u0001\u0000".getBytes()));
        assertEquals(Optional.of(ImageFormat.GIF), detect("GIF87a\u0001\u0000".getBytes()));
        assertEquals(Optional.of(ImageFormat.WEBP), detect("RIFF\u0024\u0000\u0000\u0000WEBPVP8 ".getBytes()));
    }

    @Test
    void anythingElseIsNotAnImage() {
        assertEquals(Optional.empty(), detect("hello, I am text".getBytes()));
        assertEquals(Optional.empty(), detect("RIFF\u0024\u0000\u0000\u0000WAVEfmt ".getBytes()));
        assertEquals(Optional.empty(), detect(new byte[] {(byte) 0x89, 'P', 'N'}));
        assertEquals(Optional.empty(), detect("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes()));
        assertEquals(Optional.empty(), detect(new byte[0]));
    }
}
