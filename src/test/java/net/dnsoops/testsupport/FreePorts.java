package net.dnsoops.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports free for both UDP and TCP on 127.0.0.1, so parallel test runs never collide. */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port free for both TCP and UDP on 127.0.0.1. */
    public static int next() {
        return on(InetAddress.getLoopbackAddress());
    }

    /** A port free for both TCP and UDP on {@code address} (a loopback address such as 127.0.0.2). */
    public static int on(String address) {
        try {
            return on(InetAddress.getByName(address));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int on(InetAddress address) {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(address, 0));
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
                    return port;
                } catch (IOException taken) {
                    // UDP side busy: try another
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no free port pair found on " + address);
    }
}
