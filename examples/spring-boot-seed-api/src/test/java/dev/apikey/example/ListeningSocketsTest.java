package dev.apikey.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example as configured (its own JDBC URL, its own server address), started: every socket the process listens
 * on is bound to a loopback address. Read from /proc/net/tcp and tcp6, attributed to this process through the
 * socket inodes of /proc/self/fd; no traffic is sent anywhere. An H2 URL with AUTO_SERVER=TRUE fails it: H2 then
 * opens a TCP server, without a password, on every interface.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "reads the kernel's socket tables in /proc")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ListeningSocketsTest {

    /** The application's own JDBC URL, with only the file moved from the working directory into target/. */
    @DynamicPropertySource
    static void ownUrlInTarget(DynamicPropertyRegistry registry) throws IOException {
        String url = null;
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application",
                new ClassPathResource("application.yml"))) {
            url = url != null ? url : (String) source.getProperty("spring.datasource.url");
        }
        assertThat(url).as("application.yml's spring.datasource.url").startsWith("jdbc:h2:file:./seed-api-keys");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "sockets");
        String moved = url.replace("./seed-api-keys", dir.toAbsolutePath().resolve("seed-api-keys").toString());
        registry.add("spring.datasource.url", () -> moved);
    }

    @LocalServerPort
    int port;

    @Autowired
    javax.sql.DataSource dataSource;

    /** A listening socket: its address, port and inode. */
    record Listener(InetAddress address, int port, long inode) {
    }

    @Test
    void everyListeningSocketOfTheProcessIsOnLoopback() throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("SELECT 1"); // the database is open, as it is after the demo key's check
        }
        Set<Long> ours = socketInodes();
        List<Listener> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (Listener l : listeners(Path.of(table))) {
                if (ours.contains(l.inode())) {
                    listening.add(l);
                }
            }
        }
        assertThat(listening).as("the HTTP connector is among them (the tables were read)")
                .anyMatch(l -> l.port() == port);
        assertThat(listening).as("every socket this process listens on").allSatisfy(l ->
                assertThat(l.address().isLoopbackAddress()).as("%s:%d is on loopback", l.address(), l.port())
                        .isTrue());
    }

    private static Set<Long> socketInodes() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed between the listing and the read
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                }
            }
        }
        return inodes;
    }

    /** The LISTEN rows (state 0A) of /proc/net/tcp or tcp6. */
    private static List<Listener> listeners(Path table) throws IOException {
        List<Listener> out = new ArrayList<>();
        if (!Files.exists(table)) {
            return out; // no IPv6 in this kernel
        }
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (!f[3].equals("0A")) {
                continue;
            }
            String[] local = f[1].split(":");
            out.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16), Long.parseLong(f[9])));
        }
        return out;
    }

    /** The kernel writes each 32-bit word of the address in host (little-endian) order. */
    private static InetAddress address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            byte[] w = new BigInteger("1" + hex.substring(word * 8, word * 8 + 8), 16).toByteArray();
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = w[w.length - 1 - i];
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
