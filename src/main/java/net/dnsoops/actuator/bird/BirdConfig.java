package net.dnsoops.actuator.bird;

import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.config.Validated;

/**
 * The config's "bird" section: drive a BIRD 2 daemon through its control socket. dns-oops writes
 * the routes to announce into one include file per address family, each included by a static
 * protocol in bird.conf, then asks BIRD to {@code configure} and confirms with {@code show route}.
 * Defaults are the field initialisers.
 */
public final class BirdConfig implements Validated {
    /** BIRD's control socket ("bird -s"). dns-oops must be root or in BIRD's group to use it. */
    public Path socket = Path.of("/run/bird/bird.ctl");
    /** Include file with the IPv4 route lines, inside "protocol static <ipv4-protocol>". */
    public Path ipv4File = Path.of("/var/lib/dns-oops/bird-routes4.conf");
    /** Include file with the IPv6 route lines, inside "protocol static <ipv6-protocol>". */
    public Path ipv6File = Path.of("/var/lib/dns-oops/bird-routes6.conf");
    /** Name of the static protocol that includes ipv4-file (used to confirm with show route). */
    public String ipv4Protocol = "dns_oops4";
    /** Name of the static protocol that includes ipv6-file. */
    public String ipv6Protocol = "dns_oops6";
    /** Destination of the static routes: "blackhole", "unreachable" or "prohibit". */
    public String routeType = "blackhole";
    /** Give up on one socket exchange (connect, configure, confirmation) after this long. */
    public Duration timeout = Duration.ofSeconds(5);
    /** Compare BIRD's routes with the desired set this often and repair any difference; 0: never. */
    public Duration resync = Duration.ofSeconds(30);
    /** At shutdown, wait this long for the withdrawal to be confirmed. */
    public Duration stopTimeout = Duration.ofSeconds(10);

    @Override
    public void validate() {
        if (!routeType.matches("blackhole|unreachable|prohibit")) {
            throw new IllegalArgumentException("\"route-type\" must be blackhole, unreachable or prohibit");
        }
        String sym = "[A-Za-z_][A-Za-z0-9_]*";
        if (!ipv4Protocol.matches(sym) || !ipv6Protocol.matches(sym)) {
            throw new IllegalArgumentException("protocol names must be BIRD symbols (letters, digits, _)");
        }
        if (ipv4File.equals(ipv6File)) throw new IllegalArgumentException("\"ipv4-file\" and \"ipv6-file\" must differ");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("\"timeout\" must be positive");
        if (resync.isNegative()) throw new IllegalArgumentException("\"resync\" must not be negative");
    }
}
