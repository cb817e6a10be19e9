package net.dnsoops.testsupport.dbus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Templates from test-zones/dbus/ and free loopback ports. */
public final class Fixtures {
    public static final Path TEMPLATES = Path.of("test-zones", "dbus").toAbsolutePath();

    private Fixtures() {
    }

    /** Copies a template, replacing each {@code @KEY@}. */
    public static Path render(String template, Path to, Map<String, String> values) {
        try {
            String s = Files.readString(TEMPLATES.resolve(template));
            for (Map.Entry<String, String> e : values.entrySet()) s = s.replace("@" + e.getKey() + "@", e.getValue());
            Files.writeString(to, s);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free for both TCP and UDP on 127.0.0.1 right now (the kernel picks it). */
    public static int freePort() {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(lo, 0));
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(lo, port))) {
                    return port;
                } catch (IOException taken) {
                    // UDP side busy: try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port found");
    }
}
