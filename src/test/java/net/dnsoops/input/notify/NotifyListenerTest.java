package net.dnsoops.input.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import net.dnsoops.testsupport.FakeCore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The listener on real sockets: UDP, TCP with pipelining, idle timeout, connection cap, junk. */
class NotifyListenerTest {
    final FakeCore core = FakeCore.accepting("a.test.");
    NotifyListener listener;

    List<String> notified() {
        return core.notified(n -> n.zone() + " " + n.transport());
    }

    InetSocketAddress start(Duration idle, int maxConnections, String addr) throws Exception {
        listener = new NotifyListener(List.of(new InetSocketAddress(InetAddress.getByName(addr), 0)), idle, maxConnections, () -> net.dnsoops.config.TsigKeys.NONE);
        listener.start(core);
        return listener.boundAddresses().get(1); // TCP side; UDP is bound to its own ephemeral port
    }

    @AfterEach
    void stop() {
        if (listener != null) listener.close();
    }

    static byte[] notify(int id, String zone) {
        Message m = new Message(id);
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(Name.fromConstantString(zone), Type.SOA, DClass.IN), Section.QUESTION);
        return m.toWire();
    }

    static Message readFrame(DataInputStream in) throws IOException {
        int len = in.readUnsignedShort();
        byte[] b = new byte[len];
        in.readFully(b);
        return new Message(b);
    }

    static Socket connect(InetSocketAddress a) throws IOException {
        Socket s = new Socket();
        s.connect(a, 2000);
        s.setSoTimeout(3000);
        return s;
    }

    @Test
    void udpNotifyIsAnsweredAndJunkIsIgnoredWithoutHarm() throws Exception {
        start(Duration.ofSeconds(5), 10, "127.0.0.1");
        InetSocketAddress udp = listener.boundAddresses().get(0);
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            s.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, udp)); // not a DNS header: silence
            byte[] q = notify(42, "a.test.");
            s.send(new DatagramPacket(q, q.length, udp));
            DatagramPacket p = new DatagramPacket(new byte[512], 512);
            s.receive(p);
            Message a = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
            assertEquals(42, a.getHeader().getID(), "the junk datagram got no answer; the first answer is the NOTIFY's");
            assertEquals(Rcode.NOERROR, a.getRcode());
        }
        assertEquals(List.of("a.test. udp"), notified());
    }

    @Test
    void pipelinedTcpNotifiesAreAnsweredInOrderOnOneConnection() throws Exception {
        InetSocketAddress tcp = start(Duration.ofSeconds(5), 10, "127.0.0.1");
        try (Socket s = connect(tcp)) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(all);
            String[] zones = {"a.test.", "other.test.", "A.TEST."};
            for (int i = 0; i < zones.length; i++) {
                byte[] q = notify(100 + i, zones[i]);
                out.writeShort(q.length);
                out.write(q);
            }
            s.getOutputStream().write(all.toByteArray()); // one write: three messages
            DataInputStream in = new DataInputStream(s.getInputStream());
            int[] rcodes = {Rcode.NOERROR, Rcode.NOTAUTH, Rcode.NOERROR};
            for (int i = 0; i < zones.length; i++) {
                Message a = readFrame(in);
                assertEquals(100 + i, a.getHeader().getID());
                assertEquals(rcodes[i], a.getRcode());
            }
        }
        assertEquals(List.of("a.test. tcp", "A.TEST. tcp"), notified());
    }

    @Test
    void idleTcpConnectionsAreClosed() throws Exception {
        InetSocketAddress tcp = start(Duration.ofMillis(300), 10, "127.0.0.1");
        try (Socket s = connect(tcp)) {
            assertEquals(-1, s.getInputStream().read(), "closed by the server after the idle timeout");
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedAndTheOthersKeepWorking() throws Exception {
        InetSocketAddress tcp = start(Duration.ofSeconds(5), 2, "127.0.0.1");
        try (Socket a = connect(tcp); Socket b = connect(tcp)) {
            // an answer on each shows the server has accepted (and counts) both
            assertEquals(Rcode.NOERROR, exchange(a, 5).getRcode());
            assertEquals(Rcode.NOERROR, exchange(b, 6).getRcode());
            try (Socket c = connect(tcp)) {
                assertEquals(-1, c.getInputStream().read(), "third connection closed at accept");
            }
            assertEquals(Rcode.NOERROR, exchange(a, 7).getRcode());
        }
    }

    /** One NOTIFY for a.test. over an open TCP connection, and its answer. */
    static Message exchange(Socket s, int id) throws Exception {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        byte[] q = notify(id, "a.test.");
        out.writeShort(q.length);
        out.write(q);
        return readFrame(new DataInputStream(s.getInputStream()));
    }

    @Test
    void aGarbageTcpFrameClosesOnlyThatConnection() throws Exception {
        InetSocketAddress tcp = start(Duration.ofSeconds(5), 10, "127.0.0.1");
        try (Socket junk = connect(tcp); Socket good = connect(tcp)) {
            OutputStream o = junk.getOutputStream();
            o.write(new byte[] {0, 3, 9, 9, 9});
            assertEquals(-1, junk.getInputStream().read());
            DataOutputStream out = new DataOutputStream(good.getOutputStream());
            byte[] q = notify(8, "a.test.");
            out.writeShort(q.length);
            out.write(q);
            assertEquals(Rcode.NOERROR, readFrame(new DataInputStream(good.getInputStream())).getRcode());
        }
    }

    @Test
    void listensOnIpv6Loopback() throws Exception {
        InetSocketAddress tcp = start(Duration.ofSeconds(5), 10, "::1");
        try (Socket s = connect(tcp)) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            byte[] q = notify(9, "a.test.");
            out.writeShort(q.length);
            out.write(q);
            assertEquals(Rcode.NOERROR, readFrame(new DataInputStream(s.getInputStream())).getRcode());
        }
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        start(Duration.ofSeconds(5), 10, "127.0.0.1");
        InetSocketAddress taken = listener.boundAddresses().get(0);
        NotifyListener second = new NotifyListener(List.of(taken), Duration.ofSeconds(1), 1, () -> net.dnsoops.config.TsigKeys.NONE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.start(core));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("cannot listen on"), e.getMessage());
    }
}
