package net.dnsoops.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Sends NOTIFYs over UDP from one socket and counts the answers on another thread. The message
 * ID carries the zone index (mod 65536) and answers are matched by their question name, so
 * answered-ness is known per zone.
 */
final class NotifySender implements AutoCloseable {
    /** Like a primary with several sockets: spreads over the listener's SO_REUSEPORT sockets. */
    private static final int SOCKETS = 4;
    private final DatagramChannel[] channels = new DatagramChannel[SOCKETS];
    private final byte[][] wires;
    final AtomicLong answers = new AtomicLong();
    final AtomicLongArray answeredAtNanos;
    private volatile boolean open = true;
    private int next;

    NotifySender(InetSocketAddress target, int zones) throws IOException {
        this(target, zones, null);
    }

    /** From {@code local} (address, port 0) if given: nsnotifyd asks the notifier's address for the SOA. */
    NotifySender(InetSocketAddress target, int zones, java.net.InetAddress local) throws IOException {
        wires = new byte[zones][];
        for (int i = 0; i < zones; i++) wires[i] = wire(i);
        answeredAtNanos = new AtomicLongArray(zones);
        for (int i = 0; i < SOCKETS; i++) {
            DatagramChannel ch = DatagramChannel.open();
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
            ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 8 << 20);
            if (local != null) ch.bind(new InetSocketAddress(local, 0));
            ch.connect(target);
            channels[i] = ch;
            Thread receiver = new Thread(() -> receive(ch), "bench-notify-answers-" + i);
            receiver.setDaemon(true);
            receiver.start();
        }
    }

    static byte[] wire(int zone) {
        Message m = new Message(zone & 0xffff);
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(Name.fromConstantString(Primary.zone(zone)), Type.SOA, DClass.IN),
                Section.QUESTION);
        return m.toWire();
    }

    /** Sends one NOTIFY for zone {@code i}; false if the socket buffer was full. */
    boolean send(int i) throws IOException {
        DatagramChannel ch = channels[next++ & (SOCKETS - 1)];
        return ch.write(ByteBuffer.wrap(wires[i])) > 0;
    }

    private void receive(DatagramChannel ch) {
        ByteBuffer b = ByteBuffer.allocate(1500);
        while (open) {
            try {
                b.clear();
                ch.read(b);
                answers.incrementAndGet();
                int zone = zoneOf(b.array(), b.position());
                if (zone >= 0 && zone < answeredAtNanos.length()) answeredAtNanos.set(zone, System.nanoTime());
            } catch (IOException e) {
                if (!open) return;
            }
        }
    }

    /**
     * Notifies zones 0..n-1 once each, at most {@code window} unanswered at a time, re-sending a
     * NOTIFY unanswered after {@code retryMs} as a primary does; returns when {@code done} holds
     * or after {@code limitMs}. A daemon that answers only after its work (nsnotifyd) is kept
     * busy without its socket buffer overflowing.
     */
    void sendWindowed(int n, int window, long retryMs, long limitMs, java.util.function.BooleanSupplier done)
            throws IOException, InterruptedException {
        long[] sentAt = new long[n];
        long end = System.nanoTime() + limitMs * 1_000_000L;
        int next = 0;
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            long now = System.nanoTime();
            int outstanding = 0;
            for (int i = 0; i < next; i++) {
                if (answeredAtNanos.get(i) != 0) continue;
                if (now - sentAt[i] > retryMs * 1_000_000L) {
                    send(i);
                    sentAt[i] = now;
                }
                outstanding++;
            }
            while (outstanding < window && next < n) {
                while (!send(next)) Thread.onSpinWait();
                sentAt[next++] = System.nanoTime();
                outstanding++;
            }
            Thread.sleep(1);
        }
    }

    /** Reads "zN" from the question's first label. */
    static int zoneOf(byte[] b, int len) {
        if (len < 14 || b[13] != 'z') return -1;
        int labelLen = b[12];
        int n = 0;
        for (int i = 14; i < 13 + labelLen && i < len; i++) n = n * 10 + (b[i] - '0');
        return n;
    }

    @Override
    public void close() throws IOException {
        open = false;
        for (DatagramChannel ch : channels) ch.close();
    }
}
