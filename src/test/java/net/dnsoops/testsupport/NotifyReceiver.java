package net.dnsoops.testsupport;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;

/**
 * A minimal downstream NOTIFY receiver on 127.0.0.1 (UDP and TCP, one free port): records what
 * arrives, checks TSIG with the given key, and answers (signed when the request was) unless told
 * to stay silent, so a test can watch retries.
 */
public final class NotifyReceiver implements AutoCloseable {
    public record Got(String zone, String transport, int id, boolean isNotify, boolean aa, String tsig) {
    }

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final TSIG key;
    private final List<Got> got = new CopyOnWriteArrayList<>();
    private volatile boolean silent;

    public NotifyReceiver(TSIG key) throws IOException {
        this(key, FreePorts.next());
    }

    /** Listening on {@code port} of 127.0.0.1 (UDP and TCP), e.g. one a sender was refused at before. */
    public NotifyReceiver(TSIG key, int port) throws IOException {
        this.key = key;
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        tcp = new ServerSocket();
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread u = new Thread(this::serveUdp, "test-notify-udp");
        u.setDaemon(true);
        u.start();
        Thread t = new Thread(this::serveTcp, "test-notify-tcp");
        t.setDaemon(true);
        t.start();
    }

    public void silent(boolean s) {
        silent = s;
    }

    public String address() {
        return "127.0.0.1@" + udp.getLocalPort();
    }

    public List<Got> got() {
        return got;
    }

    private byte[] handle(byte[] wire, String transport) {
        try {
            Message m = new Message(wire);
            String tsig = "none";
            if (m.getTSIG() != null) {
                tsig = key == null ? "unexpected" : (key.verify(m, wire, null) == Rcode.NOERROR ? "verified" : "bad");
            }
            got.add(new Got(m.getQuestion().getName().toString(), transport, m.getHeader().getID(),
                    m.getHeader().getOpcode() == Opcode.NOTIFY, m.getHeader().getFlag(Flags.AA), tsig));
            if (silent) return null;
            Message r = new Message(m.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.getHeader().setFlag(Flags.AA);
            r.getHeader().setOpcode(Opcode.NOTIFY);
            r.addRecord(m.getQuestion(), Section.QUESTION);
            if ("verified".equals(tsig)) r.setTSIG(key, Rcode.NOERROR, m.getTSIG());
            return r.toWire(65535);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] out = handle(java.util.Arrays.copyOf(p.getData(), p.getLength()), "udp");
                if (out != null) udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                s.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                byte[] out = handle(wire, "tcp");
                if (out != null) {
                    DataOutputStream o = new DataOutputStream(s.getOutputStream());
                    o.writeShort(out.length);
                    o.write(out);
                    o.flush();
                    in.read(); // wait for the client to close
                } else {
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                if (tcp.isClosed()) return;
            }
        }
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
