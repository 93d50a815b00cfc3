package dev.clones.media;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A request body made up on the fly: {@code size} pseudo-random bytes, never on disk and never whole in
 * memory, hashed as they are handed out so the test knows what the service should have stored.
 */
final class GeneratedBody extends InputStream {

    private final long size;
    private final SplittableRandom random;
    private final MessageDigest sha256;
    private final byte[] block = new byte[64 * 1024];
    private int blockPosition = block.length;
    private long sent;

    GeneratedBody(long size, long seed) {
        this.size = size;
        this.random = new SplittableRandom(seed);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    long sent() {
        return sent;
    }

    /** SHA-256 of everything read so far: of the whole body once it has been read to its end. */
    String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (sent >= size) {
            return -1;
        }
        if (blockPosition == block.length) {
            random.nextBytes(block);
            blockPosition = 0;
        }
        int n = (int) Math.min(Math.min(length, block.length - blockPosition), size - sent);
        System.arraycopy(block, blockPosition, buffer, offset, n);
        sha256.update(block, blockPosition, n);
        blockPosition += n;
        sent += n;
        return n;
    }
}
