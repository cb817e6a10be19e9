package net.dnsoops.input.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.dnsoops.config.Validated;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * "trust-anchor" of a "verify" entry: where the DS records come from that each zone's DNSKEY
 * RRset must match (the chain of trust from the parent). Exactly one of "ds" and "parent".
 */
public final class TrustAnchorConfig implements Validated {
    /**
     * DS records as zone-file lines (owner name included), e.g. the lines of dnssec-signzone's
     * dsset file or of "dig DS example.com": "example.com. 3600 IN DS 12345 13 2 49FD46E6...".
     * Each zone of the entry needs at least one.
     */
    public List<String> ds = List.of();
    /**
     * Or: ask this server ("addr@port"), an authoritative server of the parent zone, for each
     * zone's DS RRset on every verification. Its answer is trusted as it comes (no validation of
     * the parent's own signatures): use a server on a path you trust.
     */
    public InetSocketAddress parent;
    /** The DS query to "parent" must be answered within this. */
    public Duration timeout = Duration.ofSeconds(5);

    @Override
    public void validate() {
        if ((parent == null) == ds.isEmpty()) {
            throw new IllegalArgumentException("\"trust-anchor\" needs exactly one of \"ds\" (DS records) and \"parent\" (addr@port)");
        }
        dsRecords();
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("\"timeout\" must be positive");
    }

    /** The "ds" lines parsed; IllegalArgumentException names the line that is not a DS record. */
    public List<DSRecord> dsRecords() {
        List<DSRecord> out = new ArrayList<>();
        for (String line : ds) {
            // Master parses the zone-file syntax (optional TTL and class, multi-word digests).
            try (Master m = new Master(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), Name.root, 3600)) {
                Record r = m.nextRecord();
                if (!(r instanceof DSRecord d) || m.nextRecord() != null) {
                    throw new IllegalArgumentException("\"ds\": not one DS record: \"" + line + "\"");
                }
                out.add(d);
            } catch (IOException e) {
                throw new IllegalArgumentException("\"ds\": cannot parse \"" + line + "\": " + e.getMessage());
            }
        }
        return out;
    }
}
