package net.dnsoops.input.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.dnsoops.testsupport.DnsClient;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.LogCapture;
import net.dnsoops.testsupport.RunningDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Hostile traffic at the running daemon, bounded in count and time: a million random and mutated
 * datagrams, garbage TCP length prefixes and half-open connections; then a valid NOTIFY must
 * still be answered and nothing may have been logged as an uncaught error. And a mixed flood:
 * junk from one source while a primary notifies at 100/s from another loses no valid NOTIFY.
 */
class NotifyListenerFloodIT {
    @TempDir
    Path dir;

    static byte[] notify(int id, String zone) {
        Message m = new Message(id);
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(Name.fromConstantString(zone), Type.SOA, DClass.IN), Section.QUESTION);
        return m.toWire();
    }

    /** Random bytes, or a valid NOTIFY with a few bytes changed, truncated or extended. */
    static byte[] junk(SplittableRandom r, byte[] base) {
        switch (r.nextInt(4)) {
            case 0: {
                byte[] b = new byte[r.nextInt(0, 700)];
                r.nextBytes(b);
                return b;
            }
            case 1: {
                byte[] b = base.clone();
                for (int i = r.nextInt(1, 6); i > 0; i--) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                return b;
            }
            case 2:
                return java.util.Arrays.copyOf(base, r.nextInt(0, base.length));
            default: {
                byte[] b = java.util.Arrays.copyOf(base, base.length + r.nextInt(1, 300));
                b[r.nextInt(12)] ^= (byte) r.nextInt(256);
                return b;
            }
        }
    }

    @Test
    void aMillionHostilePacketsLeaveTheDaemonAnswering() throws Exception {
        int port = RunningDaemon.choosePort();
        try (LogCapture logs = new LogCapture();
             RunningDaemon d = RunningDaemon.start(dir, port, "\"notify-rate-per-source\": 0, \"tcp-idle-timeout\": \"2s\","
                     + " \"tcp-max-connections\": 100, \"zones\": { \"a.test.\": {} }")) {
            InetSocketAddress target = d.address();
            SplittableRandom r = new SplittableRandom(20261129);
            byte[] base = notify(7, "a.test.");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int sent = 0;
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.configureBlocking(false);
                ch.connect(target);
                ByteBuffer sink = ByteBuffer.allocate(2048);
                while (sent < 1_000_000 && System.nanoTime() < deadline) {
                    try {
                        ch.write(ByteBuffer.wrap(junk(r, base)));
                    } catch (IOException refusedOrFull) {
                        // ICMP errors or a full buffer: part of a flood
                    }
                    sent++;
                    if ((sent & 63) == 0) {
                        sink.clear();
                        try {
                            while (ch.read(sink) > 0) sink.clear(); // keep our receive buffer drained
                        } catch (IOException ignored) {
                            // ICMP port unreachable surfaces here; irrelevant
                        }
                    }
                }
            }
            assertEquals(1_000_000, sent, "sent the whole flood within the time bound");

            // TCP: garbage length prefixes, oversized claims, half-open connections.
            List<Socket> halfOpen = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                try {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                    OutputStream o = s.getOutputStream();
                    byte[] b = junk(r, base);
                    o.write(new byte[] {(byte) r.nextInt(256), (byte) r.nextInt(256)});
                    o.write(b);
                    o.flush();
                    if (i % 3 == 0) halfOpen.add(s); else s.close();
                } catch (IOException e) {
                    // refused or reset under the connection cap: expected during a flood
                }
            }

            // the flood may still be draining from the socket buffer: a NOTIFY that times out is sent again
            Eventually.until("NOERROR over UDP after the flood", Duration.ofSeconds(20),
                    () -> rcodeOf(target, false) == Rcode.NOERROR);
            for (Socket s : halfOpen) s.close();
            // the idle timeout reclaims connections left over from the flood
            Eventually.until("NOERROR over TCP after the flood", Duration.ofSeconds(20),
                    () -> rcodeOf(target, true) == Rcode.NOERROR);
            assertEquals(List.of(), logs.uncaught(), "no uncaught exception was logged");
        }
    }

    @Test
    void aMixedFloodLosesNoValidNotify() throws Exception {
        int port = RunningDaemon.choosePort();
        try (RunningDaemon d = RunningDaemon.start(dir, port, "\"zones\": { \"a.test.\": {} }")) {
            InetSocketAddress target = d.address();
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger junkSent = new AtomicInteger();
            Thread flood = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(1);
                byte[] base = notify(9, "a.test.");
                try (DatagramChannel ch = DatagramChannel.open()) {
                    ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                    ch.connect(target);
                    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (flooding.get() && System.nanoTime() < end) {
                        try {
                            ch.write(ByteBuffer.wrap(junk(r, base)));
                            junkSent.incrementAndGet();
                        } catch (IOException ignored) {
                            // flood on
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            flood.start();
            int answered = 0;
            int valid = 300; // 3 s at 100/s
            long next = System.nanoTime();
            for (int i = 0; i < valid; i++) {
                next += 10_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                // Like BIND and NSD: an unanswered NOTIFY is sent again.
                for (int attempt = 0; attempt < 3; attempt++) {
                    try {
                        Message a = DnsClient.notify(target, "a.test.", false, InetAddress.getLoopbackAddress());
                        if (a.getRcode() == Rcode.NOERROR) {
                            answered++;
                            break;
                        }
                    } catch (IOException timeout) {
                        // retry
                    }
                }
            }
            flooding.set(false);
            flood.join(5000);
            assertTrue(junkSent.get() > 10_000, "the flood ran: " + junkSent.get());
            assertEquals(valid, answered, "every valid NOTIFY was answered");
        }
    }

    /** The RCODE of one NOTIFY for a.test.; a timeout or a reset is thrown (Eventually.until tries again). */
    static int rcodeOf(InetSocketAddress target, boolean tcp) {
        try {
            return DnsClient.notify(target, "a.test.", tcp, InetAddress.getLoopbackAddress()).getRcode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
