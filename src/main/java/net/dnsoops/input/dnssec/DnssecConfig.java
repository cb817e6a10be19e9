package net.dnsoops.input.dnssec;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import net.dnsoops.config.Validated;
import net.dnsoops.core.AddressText;
import org.xbill.DNS.Name;

/**
 * One entry of "dnssec": signed zones on one server whose RRSIG expirations are watched.
 * Field initialisers are the defaults; every key is in docs/dnssec.md.
 */
public final class DnssecConfig implements Validated {
    /** The server to ask, "addr@port". Required. */
    public InetSocketAddress address;
    /** How conditions name the server (their "source"); default: the address. */
    public String name;
    /** The signed zones to check. Required, at least one. */
    public List<Name> zones = List.of();
    /** RRsets (at the zone apex) whose signatures are checked with DO queries. */
    public List<String> types = List.of("SOA", "DNSKEY");
    /** Also transfer each zone (AXFR over TCP) and check the signatures of every RRset in it. */
    public boolean axfr = false;
    /** TSIG key (from "keys") to sign the AXFR with. */
    public String key;
    /** Time between checks of each zone. */
    public Duration interval = Duration.ofMinutes(5);
    /** dnssec-expiring is raised this long before an RRSIG expires. */
    public Duration warning = Duration.ofDays(2);
    /** A query (or transfer) without an answer in this time failed. */
    public Duration timeout = Duration.ofSeconds(5);

    @Override
    public void validate() {
        if (address == null) throw new IllegalArgumentException("\"address\" is required (addr@port of the name server)");
        if (zones.isEmpty()) throw new IllegalArgumentException("\"zones\" must name at least one signed zone");
        for (String t : types) {
            if (org.xbill.DNS.Type.value(t) < 0) throw new IllegalArgumentException("\"types\": unknown RR type " + t);
        }
        if (interval.isZero() || interval.isNegative()) throw new IllegalArgumentException("\"interval\" must be positive");
        if (warning.isNegative()) throw new IllegalArgumentException("\"warning\" must not be negative");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("\"timeout\" must be positive");
    }

    public String serverName() {
        return name != null && !name.isBlank() ? name
                : AddressText.of(address);
    }
}
