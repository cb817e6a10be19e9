package net.dnsoops.input.verify;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import net.dnsoops.config.Validated;
import org.xbill.DNS.Name;

/**
 * One entry of "verify": zones whose content is transferred and checked whenever their verified
 * serial changes. Field initialisers are the defaults; every key is in docs/verify.md.
 */
public final class VerifyConfig implements Validated {
    /** The zones to verify (each must also be under "zones"). Required, at least one. */
    public List<Name> zones = List.of();
    /** Where to transfer from, "addr@port"; default: the primary whose SOA answer verified the serial. */
    public InetSocketAddress address;
    /** TSIG key (from "keys") to sign the transfer with. */
    public String key;
    /** ZONEMD (RFC 8976): "required" (a zone without a valid one is invalid), "if-present" (check it when there is one), "off". */
    public String zonemd = "if-present";
    /** Check every RRSIG in a signed zone against its apex DNSKEYs (a zone without DNSKEY is not checked). */
    public boolean dnssec = true;
    /** Services of these zones are not ready until the zone's current content verified valid. */
    public boolean requireValid = false;
    /**
     * Optional chain of trust (with "dnssec"): DS records, given or asked from the parent, that
     * each zone's DNSKEY RRset must match and be signed by. See {@link TrustAnchorConfig}.
     */
    public TrustAnchorConfig trustAnchor;
    /** The whole transfer must finish within this. */
    public Duration timeout = Duration.ofSeconds(30);
    /**
     * Keep each zone's last transferred content and fetch the next serial by IXFR from it (AXFR
     * when the server cannot, or the first time). Costs memory: see "ixfr-max-records".
     */
    public boolean ixfr = true;
    /** A zone with more records than this is not kept (always AXFR): bounds the memory IXFR costs per zone. */
    public int ixfrMaxRecords = 200_000;

    @Override
    public void validate() {
        if (zones.isEmpty()) throw new IllegalArgumentException("\"zones\" must name at least one zone");
        if (!List.of("required", "if-present", "off").contains(zonemd)) {
            throw new IllegalArgumentException("\"zonemd\" must be \"required\", \"if-present\" or \"off\"");
        }
        if (trustAnchor != null && !trustAnchor.ds.isEmpty()) {
            List<Name> owners = trustAnchor.dsRecords().stream().map(d -> d.getName()).toList();
            for (Name z : zones) {
                if (!owners.contains(z)) throw new IllegalArgumentException("\"trust-anchor\".\"ds\" has no DS record for " + z);
            }
        }
        if (trustAnchor != null && !dnssec) throw new IllegalArgumentException("\"trust-anchor\" needs \"dnssec\": true");
        if (ixfrMaxRecords < 1) throw new IllegalArgumentException("\"ixfr-max-records\" must be at least 1");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("\"timeout\" must be positive");
    }
}
