package dev.clones.media;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Small but real images, made here rather than kept as binary files. */
final class Images {

    private Images() {
    }

    /** A 4x4 red PNG, padded with a text chunk to {@code extra} more bytes. */
    static byte[] png(int extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(4).putInt(4).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array());
        byte[] raw = new byte[4 * (1 + 4 * 3)];
        for (int row = 0; row < 4; row++) {
            for (int x = 0; x < 4; x++) {
                raw[row * 13 + 1 + x * 3] = (byte) 0xff;
            }
        }
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] compressed = new byte[256];
        int length = deflater.deflate(compressed);
        chunk(out, "IDAT", java.util.Arrays.copyOf(compressed, length));
        if (extra > 0) {
            byte[] text = new byte[extra];
            java.util.Arrays.fill(text, (byte) 'x');
            text[7] = 0;
            chunk(out, "tEXt", text);
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static byte[] png() {
        return png(0);
    }

    /** A 1x1 GIF. */
    static byte[] gif() {
        return new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, (byte) 0x80, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                '!', (byte) 0xf9, 4, 1, 0, 0, 0, 0, ',', 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 'D', 1, 0, ';'};
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes();
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
