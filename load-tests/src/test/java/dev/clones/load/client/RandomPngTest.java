package dev.clones.load.client;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class RandomPngTest {

    @Test
    void isAPngAnyDecoderReadsAndDiffersEveryTime() throws IOException {
        byte[] png = RandomPng.of(12, 7);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));

        assertNotNull(image, "ImageIO could not decode the PNG");
        assertEquals(12, image.getWidth());
        assertEquals(7, image.getHeight());
        assertFalse(Arrays.equals(png, RandomPng.of(12, 7)));
    }
}
