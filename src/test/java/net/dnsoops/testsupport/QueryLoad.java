package net.dnsoops.testsupport;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A bounded query load on loopback, for the query-rate tests: SOA queries for one zone over UDP
 * at a steady rate, never more than {@code max} queries and never longer than {@code limit}
 * (answers are not read; the server's own statistics count the queries).
 */
public final class QueryLoad implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CompletableFuture<Integer> sent;

    private QueryLoad(InetSocketAddress server, String zone, int max, Duration limit, int perSecond) {
        sent = CompletableFuture.supplyAsync(() -> {
            try {
                return send(server, zone, max, limit, perSecond, stop);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Starts the load in the background; {@link #close} stops it early. */
    public static QueryLoad start(InetSocketAddress server, String zone, int max, Duration limit, int perSecond) {
        if (!server.getAddress().isLoopbackAddress()) throw new IllegalArgumentException("loopback only: " + server);
        return new QueryLoad(server, zone, max, limit, perSecond);
    }

    /** Sends the whole load now; returns how many queries went out. */
    public static int send(InetSocketAddress server, String zone, int max, Duration limit, int perSecond) throws Exception {
        if (!server.getAddress().isLoopbackAddress()) throw new IllegalArgumentException("loopback only: " + server);
        return send(server, zone, max, limit, perSecond, new AtomicBoolean());
    }

    private static int send(InetSocketAddress server, String zone, int max, Duration limit, int perSecond,
                            AtomicBoolean stop) throws Exception {
        byte[] q = Message.newQuery(Record.newRecord(Name.fromString(zone), Type.SOA, DClass.IN)).toWire();
        long start = System.nanoTime();
        long end = start + limit.toNanos();
        int sent = 0;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
            s.setReceiveBufferSize(1 << 20);
            while (sent < max && System.nanoTime() < end && !stop.get()) {
                long due = start + (long) sent * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                q[0] = (byte) (sent >> 8);
                q[1] = (byte) sent;
                s.send(new DatagramPacket(q, q.length, server));
                sent++;
            }
        }
        return sent;
    }

    /** Stops the load and returns how many queries were sent. */
    public int stop() {
        stop.set(true);
        return sent.join();
    }

    @Override
    public void close() {
        stop();
    }
}
