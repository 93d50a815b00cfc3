package dev.clones.media.body;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@link InputStream#read()} in terms of the stream's own bulk read, for the body streams whose bookkeeping
 * (a byte limit, a digest, a read-ahead queue) lives in {@code read(byte[], int, int)}: a one-byte read must
 * pass through the same accounting, never around it. Nobody reads an upload a byte at a time on the hot path,
 * so the allocation does not matter.
 */
public final class SingleByteRead {

    private SingleByteRead() {
    }

    public static int of(InputStream stream) throws IOException {
        byte[] one = new byte[1];
        int n = stream.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
