package net.dnsoops.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import javax.xml.parsers.DocumentBuilderFactory;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.xbill.DNS.Name;

class CaptureTest {
    @TempDir
    Path dir;

    @Test
    void pcapHasTheRawLinkTypeAndValidIpv4AndUdpChecksums() throws Exception {
        PcapWriter w = new PcapWriter(dir, "example.com", 1_000_000, 3_600_000, 3);
        byte[] dns = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 5353);
        InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 53);
        w.write(Instant.ofEpochSecond(1_700_000_000L, 123_456_000), a, b, false, dns);
        w.close();
        byte[] f = Files.readAllBytes(w.current());
        ByteBuffer bb = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, bb.getInt(0));
        assertEquals(PcapWriter.LINKTYPE_RAW, bb.getInt(20));
        assertEquals(1_700_000_000, bb.getInt(24));
        assertEquals(123_456, bb.getInt(28));
        int len = bb.getInt(32);
        assertEquals(20 + 8 + dns.length, len);
        byte[] ip = Arrays.copyOfRange(f, 40, 40 + len);
        assertEquals(0, PcapWriter.checksum(new byte[0], Arrays.copyOf(ip, 20)), "IPv4 header checksum");
        byte[] udp = Arrays.copyOfRange(ip, 20, ip.length);
        byte[] pseudo = ByteBuffer.allocate(12).put(a.getAddress().getAddress()).put(b.getAddress().getAddress())
                .put((byte) 0).put((byte) 17).putShort((short) udp.length).array();
        assertEquals(0, PcapWriter.checksum(pseudo, udp), "UDP checksum");
    }

    @Test
    void pcapRotatesBySizeAndKeepsTheNewest() throws Exception {
        PcapWriter w = new PcapWriter(dir, "z", 1024, 3_600_000, 2);
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("::1"), 1000);
        InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("::1"), 53);
        for (int i = 0; i < 20; i++) w.write(Instant.ofEpochMilli(1_700_000_000_000L + i * 10L), a, b, i % 2 == 0, new byte[200]);
        w.close();
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "pcap-keep 2");
        }
    }

    @Test
    void dscXmlParsesWithDscShape() throws Exception {
        DscDataset d = new DscDataset();
        d.count("notify_transport_vs_rcode", "udp", "0");
        d.count("notify_transport_vs_rcode", "udp", "0");
        d.count("notify_client_addr", "ALL", "2001:db8::1");
        Path file = d.write(dir, 60, 120);
        assertEquals("120.dscdata.xml", file.getFileName().toString());
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(file))).getDocumentElement();
        Element first = (Element) root.getElementsByTagName("array").item(0);
        assertEquals("notify_transport_vs_rcode", first.getAttribute("name"));
        assertEquals("60", first.getAttribute("start_time"));
        Element rcode = (Element) first.getElementsByTagName("Rcode").item(0);
        assertEquals("0", rcode.getAttribute("val"));
        assertEquals("2", rcode.getAttribute("count"));
        assertEquals("udp", ((Element) first.getElementsByTagName("Transport").item(0)).getAttribute("val"));
    }

    @Test
    void failureReasonsAndDirectoryNames() throws Exception {
        assertEquals("timeout", DscDataset.reason("timeout querying 192.0.2.1@53"));
        assertEquals("REFUSED", DscDataset.reason("REFUSED from 192.0.2.1@53"));
        assertEquals("not-authoritative", DscDataset.reason("answer not authoritative from 192.0.2.1@53"));
        assertEquals("no-soa", DscDataset.reason("no SOA for x. in the answer"));
        assertEquals("example.com", Capture.dirName(Name.fromString("Example.COM.")));
        assertEquals("root", Capture.dirName(Name.root));
    }

    @Test
    void configDefaults() throws Exception {
        DnsOopsConfig c = ConfigLoader.parse("{\"capture\": {\"directory\": \"/tmp/x\"}}", "t");
        assertEquals(60, c.capture.dscInterval.toSeconds());
        assertEquals(10, c.capture.pcapKeep);
        assertTrue(c.capture.pcapMaxSize > 1_000_000);
    }
}
