package dev.clones.media.body;

import dev.clones.common.error.ApiProblem;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MeasuredBodyTest {

    @Test
    void countsAndHashesWhatPassesThrough() throws Exception {
        byte[] bytes = "some bytes to hash".getBytes();
        MeasuredBody body = new MeasuredBody(new ByteArrayInputStream(bytes), bytes.length);
        assertEquals(bytes.length, body.readAllBytes().length);
        assertEquals(bytes.length, body.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), body.sha256());
    }

    @Test
    void failsWith413OneByteAfterTheLimitWithoutReadingFurther() {
        CountingStream source = new CountingStream(1_000_000);
        MeasuredBody body = new MeasuredBody(source, 1000);
        ApiProblem problem = assertThrows(ApiProblem.class, () -> body.readNBytes(new byte[64 * 1024], 0, 64 * 1024));
        assertEquals(413, problem.status());
        assertEquals(1001, source.read);
    }

    @Test
    void declaredOversizeIsRefusedBeforeReading() {
        assertEquals(413, assertThrows(ApiProblem.class, () -> MeasuredBody.rejectDeclaredOversize("1001", 1000)).status());
        MeasuredBody.rejectDeclaredOversize("1000", 1000);
        MeasuredBody.rejectDeclaredOversize(null, 1000);
    }

    @Test
    void aBodyThatBreaksOffIsABadRequest() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Connection reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("Connection reset");
            }
        };
        assertEquals(400, assertThrows(ApiProblem.class, () -> new MeasuredBody(broken, 10).readAllBytes()).status());
    }

    private static final class CountingStream extends InputStream {
        private final long size;
        long read;

        CountingStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return read < size ? (int) (read++ & 0x7f) : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int n = (int) Math.min(length, size - read);
            read += n;
            return n == 0 ? -1 : n;
        }
    }
}
