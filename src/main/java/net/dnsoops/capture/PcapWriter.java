package net.dnsoops.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A rotating libpcap file of one zone's DNS messages, as IPv4/IPv6 + UDP/TCP packets with link
 * type LINKTYPE_RAW (101), so Wireshark and tshark open it. DNS messages are rebuilt into
 * packets from what the inputs saw (addresses, ports, DNS payload); TCP segments carry the
 * 2-byte length prefix, without the handshake. Files: {@code <dir>/<zone>-<UTC time>.pcap}.
 */
final class PcapWriter implements AutoCloseable {
    static final int LINKTYPE_RAW = 101;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final String base;
    private final long maxSize;
    private final long rotateMillis;
    private final int keep;
    private OutputStream out;
    private Path current;
    private long size;
    private long openedAt;
    private int tcpSeq = 1;

    PcapWriter(Path dir, String base, long maxSize, long rotateMillis, int keep) {
        this.dir = dir;
        this.base = base;
        this.maxSize = maxSize;
        this.rotateMillis = rotateMillis;
        this.keep = keep;
    }

    Path current() {
        return current;
    }

    /** Writes a DNS message as one packet from {@code src} to {@code dst}. */
    void write(Instant time, InetSocketAddress src, InetSocketAddress dst, boolean tcp, byte[] dns) throws IOException {
        byte[] packet = tcp ? tcpPacket(src, dst, dns) : udpPacket(src, dst, dns);
        if (out == null || size >= maxSize || time.toEpochMilli() - openedAt >= rotateMillis) rotate(time);
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        long micros = time.getEpochSecond() * 1_000_000L + time.getNano() / 1000;
        h.putInt((int) (micros / 1_000_000L)).putInt((int) (micros % 1_000_000L))
                .putInt(packet.length).putInt(packet.length);
        out.write(h.array());
        out.write(packet);
        out.flush(); // signalling traffic is sparse: readers see every packet at once
        size += 16 + packet.length;
    }

    private void rotate(Instant time) throws IOException {
        close();
        Files.createDirectories(dir);
        current = dir.resolve(base + "-" + STAMP.format(time) + ".pcap");
        out = new BufferedOutputStream(Files.newOutputStream(current));
        ByteBuffer g = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        g.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(LINKTYPE_RAW);
        out.write(g.array());
        out.flush();
        size = 24;
        openedAt = time.toEpochMilli();
        prune();
    }

    private void prune() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith(base + "-")
                    && p.getFileName().toString().endsWith(".pcap")).sorted(Comparator.comparing(Path::toString)).toList();
        }
        for (int i = 0; i < files.size() - keep; i++) Files.deleteIfExists(files.get(i));
    }

    static byte[] udpPacket(InetSocketAddress src, InetSocketAddress dst, byte[] dns) {
        ByteBuffer udp = ByteBuffer.allocate(8 + dns.length);
        udp.putShort((short) src.getPort()).putShort((short) dst.getPort()).putShort((short) (8 + dns.length))
                .putShort((short) 0).put(dns);
        byte[] seg = udp.array();
        int sum = checksum(pseudoHeader(src.getAddress(), dst.getAddress(), 17, seg.length), seg);
        if (sum == 0) sum = 0xffff;
        seg[6] = (byte) (sum >> 8);
        seg[7] = (byte) sum;
        return ip(src.getAddress(), dst.getAddress(), 17, seg);
    }

    byte[] tcpPacket(InetSocketAddress src, InetSocketAddress dst, byte[] dns) {
        ByteBuffer tcp = ByteBuffer.allocate(20 + 2 + dns.length);
        int seq = tcpSeq;
        tcpSeq += 2 + dns.length + 1000;
        tcp.putShort((short) src.getPort()).putShort((short) dst.getPort()).putInt(seq).putInt(1)
                .put((byte) (5 << 4)).put((byte) 0x18) // header length 20, flags PSH|ACK
                .putShort((short) 65535).putShort((short) 0).putShort((short) 0)
                .putShort((short) dns.length).put(dns);
        byte[] seg = tcp.array();
        int sum = checksum(pseudoHeader(src.getAddress(), dst.getAddress(), 6, seg.length), seg);
        seg[16] = (byte) (sum >> 8);
        seg[17] = (byte) sum;
        return ip(src.getAddress(), dst.getAddress(), 6, seg);
    }

    private static byte[] ip(InetAddress src, InetAddress dst, int proto, byte[] payload) {
        if (src instanceof Inet4Address && dst instanceof Inet4Address) {
            ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
            b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) 0)
                    .putShort((short) 0x4000).put((byte) 64).put((byte) proto).putShort((short) 0)
                    .put(src.getAddress()).put(dst.getAddress());
            byte[] h = b.array();
            int sum = checksum(new byte[0], java.util.Arrays.copyOf(h, 20));
            h[10] = (byte) (sum >> 8);
            h[11] = (byte) sum;
            System.arraycopy(payload, 0, h, 20, payload.length);
            return h;
        }
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.putInt(6 << 28).putShort((short) payload.length).put((byte) proto).put((byte) 64)
                .put(v6(src)).put(v6(dst)).put(payload);
        return b.array();
    }

    private static byte[] pseudoHeader(InetAddress src, InetAddress dst, int proto, int length) {
        if (src instanceof Inet4Address && dst instanceof Inet4Address) {
            return ByteBuffer.allocate(12).put(src.getAddress()).put(dst.getAddress()).put((byte) 0).put((byte) proto)
                    .putShort((short) length).array();
        }
        return ByteBuffer.allocate(40).put(v6(src)).put(v6(dst)).putInt(length)
                .put(new byte[3]).put((byte) proto).array();
    }

    /** 16 address bytes; an IPv4 address as IPv4-mapped IPv6 (a dual-stack socket's v4 peer). */
    private static byte[] v6(InetAddress a) {
        if (a instanceof Inet6Address) return a.getAddress();
        byte[] m = new byte[16];
        m[10] = (byte) 0xff;
        m[11] = (byte) 0xff;
        System.arraycopy(a.getAddress(), 0, m, 12, 4);
        return m;
    }

    /** The Internet checksum (RFC 1071) over two byte ranges. */
    static int checksum(byte[] a, byte[] b) {
        long sum = 0;
        byte[][] parts = {a, b};
        for (byte[] p : parts) {
            for (int i = 0; i + 1 < p.length; i += 2) sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
            if (p.length % 2 == 1) sum += (p[p.length - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int) (~sum & 0xffff);
    }

    @Override
    public void close() throws IOException {
        if (out != null) out.close();
        out = null;
    }
}
