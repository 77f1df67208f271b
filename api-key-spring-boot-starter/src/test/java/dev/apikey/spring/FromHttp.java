package dev.apikey.spring;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One GET over a raw socket from a loopback address of the test's choice (any of 127.0.0.0/8 on Linux), so that a
 * test can be a trusted proxy (127.0.0.2) or a stranger (127.0.0.1). Answers the status and body.
 */
final class FromHttp {

    record Response(int status, String body) {
    }

    private FromHttp() {
    }

    static Response get(String from, int port, String path, List<String> headers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
            headers.forEach(h -> request.append(h).append("\r\n"));
            request.append("Connection: close\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(raw.substring(9, 12));
            int bodyAt = raw.indexOf("\r\n\r\n");
            return new Response(status, bodyAt < 0 ? "" : raw.substring(bodyAt + 4));
        }
    }
}
