package net.dnsoops.input.soa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Which answers a SOA query accepts (RFC 5452): the query's ID, to the socket it left from, from
 * the primary's address and port, with its question (name in any case, SOA, IN); and that queries
 * to a primary not on this host each leave from a port of their own. A primary on 127.0.0.1
 * stands in for a remote one where the client is told to treat it so.
 */
class UdpSoaClientTest {
    private static final Name ZONE = Name.fromConstantString("spoof.test.");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** An authoritative SOA answer to {@code query} with {@code serial}, its question replaced by {@code q}. */
    private static byte[] answer(Message query, Record q, int id, long serial) {
        Message m = new Message(id);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(q, Section.QUESTION);
        m.addRecord(new SOARecord(ZONE, DClass.IN, 3600, Name.fromConstantString("ns.spoof.test."),
                Name.fromConstantString("admin.spoof.test."), serial, 3600, 600, 86400, 300), Section.ANSWER);
        return m.toWire();
    }

    private static Message receive(DatagramSocket s, DatagramPacket[] from) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[512], 512);
        s.receive(p);
        from[0] = p;
        return new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    }

    private static void send(DatagramSocket s, byte[] w, java.net.SocketAddress to) throws Exception {
        s.send(new DatagramPacket(w, w.length, to));
    }

    @ParameterizedTest(name = "socket per query: {0}")
    @ValueSource(booleans = {true, false})
    void onlyTheRealPrimarysAnswerToTheQuestionAskedCounts(boolean perQuery) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket primary = new DatagramSocket(0, lo); DatagramSocket forger = new DatagramSocket(0, lo);
             UdpSoaClient client = new UdpSoaClient(a -> perQuery)) {
            primary.setSoTimeout(5000);
            CompletableFuture<SoaReply> r = client.query(ZONE, new InetSocketAddress(lo, primary.getLocalPort()), TIMEOUT);
            DatagramPacket[] from = new DatagramPacket[1];
            Message q = receive(primary, from);
            int id = q.getHeader().getID();
            Record question = q.getQuestion();
            var client0 = from[0].getSocketAddress();
            // the right answer from another port of the primary's address
            send(forger, answer(q, question, id, 666), client0);
            // from the primary: the wrong ID, another zone, another type, another class
            send(primary, answer(q, question, id ^ 1, 667), client0);
            send(primary, answer(q, Record.newRecord(Name.fromConstantString("other.test."), Type.SOA, DClass.IN), id, 668), client0);
            send(primary, answer(q, Record.newRecord(ZONE, Type.A, DClass.IN), id, 669), client0);
            send(primary, answer(q, Record.newRecord(ZONE, Type.SOA, DClass.CH), id, 670), client0);
            // the real one, its question in other case (as a server keeping 0x20 would)
            send(primary, answer(q, Record.newRecord(Name.fromConstantString("SpOoF.TeSt."), Type.SOA, DClass.IN), id, 42),
                    client0);
            SoaReply reply = r.get(5, TimeUnit.SECONDS);
            long serial = reply.fast() != null ? reply.fast().serial() : SoaAnswer.judge(ZONE, reply.message(),
                    new InetSocketAddress(lo, primary.getLocalPort()), false).serial();
            assertEquals(42, serial);
        }
    }

    @Test
    void eachQueryToARemotePrimaryLeavesFromAPortOfItsOwnAndOnlyThatPortsAnswerCounts() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket primary = new DatagramSocket(0, lo); UdpSoaClient client = new UdpSoaClient(a -> true)) {
            primary.setSoTimeout(5000);
            InetSocketAddress target = new InetSocketAddress(lo, primary.getLocalPort());
            Set<Integer> ports = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                CompletableFuture<SoaReply> a = client.query(ZONE, target, TIMEOUT);
                CompletableFuture<SoaReply> b = client.query(ZONE, target, TIMEOUT);
                DatagramPacket[] fa = new DatagramPacket[1];
                DatagramPacket[] fb = new DatagramPacket[1];
                Message qa = receive(primary, fa);
                Message qb = receive(primary, fb);
                assertNotEquals(fa[0].getPort(), fb[0].getPort());
                ports.add(fa[0].getPort());
                ports.add(fb[0].getPort());
                // each query's answer sent to the other query's socket: neither counts
                send(primary, answer(qa, qa.getQuestion(), qa.getHeader().getID(), 666), fb[0].getSocketAddress());
                send(primary, answer(qb, qb.getQuestion(), qb.getHeader().getID(), 666), fa[0].getSocketAddress());
                send(primary, answer(qa, qa.getQuestion(), qa.getHeader().getID(), 1), fa[0].getSocketAddress());
                send(primary, answer(qb, qb.getQuestion(), qb.getHeader().getID(), 2), fb[0].getSocketAddress());
                assertEquals(1, a.get(5, TimeUnit.SECONDS).fast().serial());
                assertEquals(2, b.get(5, TimeUnit.SECONDS).fast().serial());
            }
            assertEquals(40, ports.size(), "every query its own source port: " + ports);
        }
    }
}
