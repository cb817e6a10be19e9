package net.dnsoops.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports free for both UDP and TCP on 127.0.0.1, so parallel test runs never collide. They are
 * drawn below the kernel's ephemeral range (net.ipv4.ip_local_port_range, 32768-60999 here):
 * a port from port 0 is an ephemeral one, and between this check and the test's server binding
 * it the kernel could hand it to any outgoing connection as its source port (it did: "Address
 * already in use" in ExabgpActuatorIT under load). A port is handed out once per JVM.
 */
public final class FreePorts {
    private static final int LOW = 20000;
    private static final int HIGH = 32000;
    private static final java.util.Set<Integer> given = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.Random random = new java.util.Random();

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
        for (int i = 0; i < 500; i++) {
            int port = LOW + random.nextInt(HIGH - LOW);
            if (!given.add(port)) continue;
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(address, port));
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
                    return port;
                }
            } catch (IOException taken) {
                // busy (another test run, another program): try another
            }
        }
        throw new IllegalStateException("no free port pair found on " + address + " in " + LOW + "-" + HIGH);
    }
}
