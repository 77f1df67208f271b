package dev.apikey.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 by hand on 127.0.0.1, for what an HTTP client will not send: a body that stops half way or trickles,
 * a {@code Host} header of our choosing.
 */
final class RawHttp {

    /** The answer when the server closed the connection without one. */
    static final int CUT = -1;

    private RawHttp() {
    }

    /** Connects and sends {@code text} (request line, headers, blank line, any part of a body). */
    static Socket send(int port, String text) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return s;
    }

    /** Sends one more byte of the body; false if the server has closed the connection. */
    static boolean trickle(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(' ');
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The whole answer (status line, headers and body) once the server closes the connection or has sent what
     * Content-Length says; {@code ""} if it closed without answering.
     *
     * @throws SocketTimeoutException if nothing conclusive came within {@code deadline}
     */
    static String answer(Socket s, Duration deadline) throws IOException {
        s.setSoTimeout((int) deadline.toMillis());
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                got.write(buffer, 0, n);
                if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (java.net.SocketException e) {
            // Reset by the server: cut, with whatever came before it.
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether the server has answered or closed the connection already (reading what it sent first: use it only
     * on a connection to be dropped).
     */
    static boolean answered(Socket s) throws IOException {
        s.setSoTimeout(20);
        try {
            s.getInputStream().read();
            return true;
        } catch (SocketTimeoutException nothingYet) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** The status of an answer, or {@link #CUT} for none. */
    static int status(String answer) {
        return answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : CUT;
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        if (head.contains("transfer-encoding: chunked")) {
            return text.endsWith("\r\n0\r\n\r\n");
        }
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int lineEnd = head.indexOf("\r\n", at);
        long length = Long.parseLong(head.substring(at + 15, lineEnd < 0 ? head.length() : lineEnd).strip());
        return text.length() - end - 4 >= length;
    }
}
