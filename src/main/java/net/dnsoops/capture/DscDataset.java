package net.dnsoops.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One zone's counters for one interval, written as a DSC (DNS Statistics Collector) XML file
 * that dsc-datatool reads: a {@code <dscdata>} of two-dimensional {@code <array>}s, each with
 * {@code start_time}/{@code stop_time}, two {@code <dimension>}s and {@code count}s. Arrays:
 * <ul>
 *   <li>{@code notify_transport_vs_rcode}: NOTIFYs by Transport (udp, tcp) and Rcode (numeric, as DSC);</li>
 *   <li>{@code notify_client_addr}: NOTIFYs by ClientAddr (the notifier);</li>
 *   <li>{@code soa_server_vs_result}: SOA checks by ServerAddr and Result (ok, failed);</li>
 *   <li>{@code soa_failure_reason}: failed SOA queries by Reason (timeout, rcode name, not-authoritative, ...);</li>
 *   <li>{@code serial_change}: serial changes seen in SOA answers, by new Serial.</li>
 * </ul>
 */
final class DscDataset {
    /** One array: dimension types and dim1 value -> dim2 value -> count. */
    static final class Array {
        final String name;
        final String dim1;
        final String dim2;
        final Map<String, Map<String, Long>> data = new TreeMap<>();

        Array(String name, String dim1, String dim2) {
            this.name = name;
            this.dim1 = dim1;
            this.dim2 = dim2;
        }

        void count(String v1, String v2) {
            data.computeIfAbsent(v1, k -> new TreeMap<>()).merge(v2, 1L, Long::sum);
        }
    }

    final Map<String, Array> arrays = new LinkedHashMap<>();

    DscDataset() {
        add("notify_transport_vs_rcode", "Transport", "Rcode");
        add("notify_client_addr", "All", "ClientAddr");
        add("soa_server_vs_result", "ServerAddr", "Result");
        add("soa_failure_reason", "All", "Reason");
        add("serial_change", "All", "Serial");
    }

    private void add(String name, String d1, String d2) {
        arrays.put(name, new Array(name, d1, d2));
    }

    void count(String array, String v1, String v2) {
        arrays.get(array).count(v1, v2);
    }

    String xml(long start, long stop) {
        StringBuilder b = new StringBuilder("<dscdata>\n");
        for (Array a : arrays.values()) {
            b.append("<array name=\"").append(a.name).append("\" dimensions=\"2\" start_time=\"").append(start)
                    .append("\" stop_time=\"").append(stop).append("\">\n");
            b.append("  <dimension number=\"1\" type=\"").append(a.dim1).append("\"/>\n");
            b.append("  <dimension number=\"2\" type=\"").append(a.dim2).append("\"/>\n");
            b.append("  <data>\n");
            a.data.forEach((v1, inner) -> {
                b.append("    <").append(a.dim1).append(" val=\"").append(esc(v1)).append("\">\n");
                inner.forEach((v2, n) -> b.append("      <").append(a.dim2).append(" val=\"").append(esc(v2))
                        .append("\" count=\"").append(n).append("\"/>\n"));
                b.append("    </").append(a.dim1).append(">\n");
            });
            b.append("  </data>\n</array>\n");
        }
        return b.append("</dscdata>\n").toString();
    }

    /** Writes {@code <dir>/<stop>.dscdata.xml} atomically (DSC's file name). */
    Path write(Path dir, long start, long stop) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(stop + ".dscdata.xml");
        Path tmp = dir.resolve("." + stop + ".dscdata.xml.tmp");
        Files.writeString(tmp, xml(start, stop), StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A short failure reason from the SOA poller's text. */
    static String reason(String failure) {
        if (failure == null || failure.isEmpty()) return "unknown";
        if (failure.startsWith("timeout")) return "timeout";
        if (failure.contains("not authoritative")) return "not-authoritative";
        if (failure.startsWith("no SOA")) return "no-soa";
        String first = failure.split("\\s+", 2)[0];
        return first.matches("[A-Z]+") ? first : "error";
    }
}
