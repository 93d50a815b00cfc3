package dev.clones.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange over a plain socket, for what the JDK's and RestAssured's clients cannot do: choose the local
 * address (a peer that is not a trusted proxy), announce a body and send none or only part of it, and see whether the
 * server then ended the connection. Reads are bounded (30 s) so that a hang fails the test instead of the build.
 */
public final class RawHttp {

    /** The answer: status, header lines (lower case), body, and whether the server closed the connection after it. */
    public record Answer(int status, List<String> headers, String body, boolean closedAfter) {
        public boolean hasHeader(String line) {
            return headers.contains(line.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code head} (request line and headers, without the blank line that ends them) and then {@code body}
     * bytes from {@code localAddress} (null: any) to {@code port} on loopback, and reads one answer.
     */
    public static Answer exchange(String localAddress, int port, String head, byte[] body) {
        try (Socket socket = new Socket()) {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in);
            List<String> headers = new ArrayList<>();
            long length = 0;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                String lower = line.toLowerCase(Locale.ROOT);
                headers.add(lower);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                }
            }
            String answerBody = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
            boolean closed = in.read() < 0;
            return new Answer(Integer.parseInt(statusLine.substring(9, 12)), headers, answerBody, closed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("The connection ended inside the answer's head: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
