package net.dnsoops.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import net.dnsoops.testsupport.DnsClient;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.RunningDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * generate-pcap and generate-dsc against real primaries: NSD (NOTIFY over UDP) and Knot (over
 * TCP). tshark reads each zone's pcap and finds its NOTIFYs, our answers, the SOA queries and
 * answers with the new serial; the DSC XML parses and its counts match the pcap.
 */
class CaptureIT {
    @TempDir
    Path dir;

    @Test
    void pcapOpensInTsharkAndDscCountsMatch() throws Exception {
        int port = RunningDaemon.choosePort();
        Path capture = dir.resolve("capture");
        try (DnsServer nsd = new DnsServer(DnsServer.Kind.NSD, dir, port, DnsServer.Timers.DEFAULT, "cap.test.", "plain.test.");
             DnsServer knot = new DnsServer(DnsServer.Kind.KNOT, dir, port, DnsServer.Timers.DEFAULT, "tcp.test.")) {
            String body = "\"capture\": { \"directory\": \"" + capture + "\", \"dsc-interval\": \"1s\" },"
                    + "\"zones\": {"
                    + " \"cap.test.\": { \"primaries\": [\"" + nsd.primary() + "\"], \"generate-pcap\": true, \"generate-dsc\": true },"
                    + " \"plain.test.\": { \"primaries\": [\"" + nsd.primary() + "\"] },"
                    + " \"tcp.test.\": { \"primaries\": [\"" + knot.primary() + "\"], \"generate-pcap\": true, \"generate-dsc\": true } }";
            try (RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port, body)) {
                nsd.start();
                knot.start();
                Eventually.await(Duration.ofSeconds(15), "all ready", () -> d.count("zone-ready:raised") == 3, d::dump);
                nsd.setSerial("cap.test.", 2024010102L);
                knot.setSerial("tcp.test.", 2024010102L);
                Eventually.await(Duration.ofSeconds(10), "both updates",
                        () -> d.count("zone-updated:raised cap.test. 2024010102") == 1
                                && d.count("zone-updated:raised tcp.test. 2024010102") == 1, d::dump);
                // Two more NOTIFYs of our own, one per transport.
                DnsClient.notify(d.address(), "cap.test.", false, InetAddress.getLoopbackAddress());
                DnsClient.notify(d.address(), "cap.test.", true, InetAddress.getLoopbackAddress());
                Eventually.sleep(1500); // the SOA checks they cause, and one DSC interval
            }
            assertFalse(Files.exists(capture.resolve("plain.test")), "a zone without the flags writes nothing");

            // --- pcap, read by tshark
            List<String[]> cap = tshark(single(capture.resolve("cap.test"), ".pcap"), port, nsd.address().getPort());
            List<String[]> tcp = tshark(single(capture.resolve("tcp.test"), ".pcap"), port, knot.address().getPort());
            long notifies = cap.stream().filter(f -> f[0].equals("4") && f[1].equals("0") && f[3].equals("cap.test")).count();
            long notifyAnswers = cap.stream().filter(f -> f[0].equals("4") && f[1].equals("1") && f[2].equals("0")).count();
            long soaQueries = cap.stream().filter(f -> f[0].equals("0") && f[1].equals("0") && f[4].equals("6")).count();
            long soaAnswersNew = cap.stream().filter(f -> f[0].equals("0") && f[1].equals("1") && f[5].equals("2024010102")).count();
            String capDump = dump(cap);
            assertTrue(notifies >= 3, "NSD's NOTIFY after the bump and our two: " + capDump);
            assertEquals(notifies, notifyAnswers, capDump);
            assertTrue(cap.stream().anyMatch(f -> f[0].equals("4") && f[6].equals("TCP")), "our TCP NOTIFY: " + capDump);
            assertTrue(soaQueries >= 2, "initial check and one after the bump: " + capDump);
            assertTrue(soaAnswersNew >= 1, capDump);
            assertTrue(tcp.stream().anyMatch(f -> f[0].equals("4") && f[1].equals("0") && f[3].equals("tcp.test")
                    && f[6].equals("TCP")), "Knot's NOTIFY over TCP: " + dump(tcp));
            assertTrue(tcp.stream().noneMatch(f -> f[3].equals("cap.test")), "per-zone files: " + dump(tcp));

            System.out.println(capDump + "\n" + dump(tcp));
            // --- DSC: every dataset parses; summed counts match what the pcap shows
            Map<String, Long> sums = dsc(capture.resolve("cap.test").resolve("dsc"));
            System.out.println("DSC sums: " + sums);
            assertEquals(notifies, sums.getOrDefault("notify_transport_vs_rcode/udp/0", 0L)
                    + sums.getOrDefault("notify_transport_vs_rcode/tcp/0", 0L), sums + "\n" + capDump);
            assertEquals(1L, sums.getOrDefault("notify_transport_vs_rcode/tcp/0", 0L), sums.toString());
            assertEquals(notifies, sums.getOrDefault("notify_client_addr/ALL/127.0.0.1", 0L), sums.toString());
            // The daemon starts before the primaries: its first query may go unanswered (failed).
            long soaAnswers = cap.stream().filter(f -> f[0].equals("0") && f[1].equals("1")).count();
            long ok = sums.getOrDefault("soa_server_vs_result/" + nsd.primary() + "/ok", 0L);
            long failed = sums.getOrDefault("soa_server_vs_result/" + nsd.primary() + "/failed", 0L);
            assertEquals(soaAnswers, ok, sums + "\n" + capDump);
            assertEquals(soaQueries, ok + failed, sums + "\n" + capDump);
            assertEquals(failed, sums.keySet().stream().filter(k -> k.startsWith("soa_failure_reason/"))
                    .mapToLong(sums::get).sum(), sums.toString());
            assertEquals(1L, sums.getOrDefault("serial_change/ALL/2024010102", 0L), sums.toString());
        }
    }

    private static Path single(Path zoneDir, String suffix) throws Exception {
        try (Stream<Path> s = Files.list(zoneDir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(suffix)).toList();
            assertEquals(1, files.size(), "one pcap file in " + zoneDir + ": " + files);
            return files.get(0);
        }
    }

    /** tshark's view: opcode, response flag, rcode, query name, query type, SOA serial, transport. */
    private static List<String[]> tshark(Path pcap, int dnsOopsPort, int primaryPort) throws Exception {
        List<String> cmd = List.of("tshark", "-r", pcap.toString(), "-n",
                "-d", "udp.port==" + dnsOopsPort + ",dns", "-d", "tcp.port==" + dnsOopsPort + ",dns",
                "-d", "udp.port==" + primaryPort + ",dns",
                "-T", "fields", "-E", "separator=|", "-E", "occurrence=f",
                "-e", "dns.flags.opcode", "-e", "dns.flags.response", "-e", "dns.flags.rcode", "-e", "dns.qry.name",
                "-e", "dns.qry.type", "-e", "dns.soa.serial_number", "-e", "_ws.col.Protocol", "-e", "ip.proto");
        Path out = pcap.resolveSibling("tshark.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark finished");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "tshark -r " + pcap + ":\n" + text);
        assertFalse(text.contains("appears to be damaged") || text.contains("Malformed"), text);
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("Running as user")) continue;
            String[] f = line.split("\\|", -1);
            String[] r = new String[7];
            for (int i = 0; i < 6; i++) r[i] = i < f.length ? f[i] : "";
            r[6] = f.length > 7 && f[7].equals("6") ? "TCP" : "UDP";
            rows.add(r);
        }
        assertFalse(rows.isEmpty(), "tshark shows packets: " + text);
        return rows;
    }

    private static String dump(List<String[]> rows) {
        return "tshark (opcode|response|rcode|qname|qtype|serial|transport):\n"
                + String.join("\n", rows.stream().map(r -> String.join("|", r)).toList());
    }

    /** "array/dim1/dim2" -> count, summed over every dataset file; checks each file's shape. */
    private static Map<String, Long> dsc(Path dscDir) throws Exception {
        Map<String, Long> sums = new HashMap<>();
        File[] files = dscDir.toFile().listFiles((d, n) -> n.endsWith(".dscdata.xml"));
        assertTrue(files != null && files.length >= 1, "DSC files in " + dscDir);
        for (File f : files) {
            Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f).getDocumentElement();
            assertEquals("dscdata", root.getTagName());
            NodeList arrays = root.getElementsByTagName("array");
            assertEquals(5, arrays.getLength(), f.toString());
            for (int i = 0; i < arrays.getLength(); i++) {
                Element a = (Element) arrays.item(i);
                long start = Long.parseLong(a.getAttribute("start_time"));
                long stop = Long.parseLong(a.getAttribute("stop_time"));
                assertTrue(stop >= start, f.toString());
                assertEquals(f.getName(), stop + ".dscdata.xml");
                String d1 = null;
                String d2 = null;
                NodeList dims = a.getElementsByTagName("dimension");
                for (int j = 0; j < dims.getLength(); j++) {
                    Element dim = (Element) dims.item(j);
                    if (dim.getAttribute("number").equals("1")) d1 = dim.getAttribute("type");
                    if (dim.getAttribute("number").equals("2")) d2 = dim.getAttribute("type");
                }
                NodeList outer = a.getElementsByTagName(d1);
                for (int j = 0; j < outer.getLength(); j++) {
                    Element o = (Element) outer.item(j);
                    NodeList inner = o.getElementsByTagName(d2);
                    for (int k = 0; k < inner.getLength(); k++) {
                        Element in = (Element) inner.item(k);
                        sums.merge(a.getAttribute("name") + "/" + o.getAttribute("val") + "/" + in.getAttribute("val"),
                                Long.parseLong(in.getAttribute("count")), Long::sum);
                    }
                }
            }
        }
        return sums;
    }
}
