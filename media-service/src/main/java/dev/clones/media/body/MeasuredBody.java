package dev.clones.media.body;

import dev.clones.common.error.ApiProblem;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A request body read once, on the fly: counts and hashes the bytes as they pass, and fails with 413 the
 * moment one byte more than the limit arrives, without reading the rest. A body that breaks off is the
 * client's problem (400), not a storage outage.
 */
public final class MeasuredBody extends FilterInputStream {

    private final long limit;
    private final MessageDigest sha256;
    private long size;

    public MeasuredBody(InputStream body, long limit) {
        super(body);
        this.limit = limit;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 413 before reading anything when the client announced a body over the limit. */
    public static void rejectDeclaredOversize(String contentLength, long limit) {
        if (contentLength == null) {
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return;
        }
        if (declared > limit) {
            throw tooLarge("The body has " + declared + " bytes; at most " + limit + " are accepted here.");
        }
    }

    public long size() {
        return size;
    }

    /** Lower-case hex SHA-256 of every byte read so far. */
    public String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    @Override
    public int read() throws IOException {
        return SingleByteRead.of(this);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // Never ask for more than one byte past the limit: that byte is enough to know the body is too large.
        int wanted = (int) Math.min(length, limit - size + 1);
        int n;
        try {
            n = super.read(buffer, offset, wanted);
        } catch (IOException e) {
            if ("Request too large".equals(e.getMessage())) {
                throw tooLarge("The body is larger than this service accepts.");
            }
            throw ApiProblem.badRequest("The request body could not be read to its end (" + e.getMessage() + "); nothing was stored.");
        }
        if (n > 0) {
            size += n;
            if (size > limit) {
                throw tooLarge("The body is larger than " + limit + " bytes, the most accepted here; nothing was stored.");
            }
            sha256.update(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("A measured body is read, not skipped");
    }

    private static ApiProblem tooLarge(String detail) {
        // The rest of the body is not read (see UnreadBodies for the connection).
        return new ApiProblem(413, "Content Too Large", detail);
    }
}
