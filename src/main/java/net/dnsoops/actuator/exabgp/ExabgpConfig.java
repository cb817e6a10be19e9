package net.dnsoops.actuator.exabgp;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.dnsoops.config.Validated;

/**
 * The config's "exabgp" section: announce service prefixes through ExaBGP 4.2's text API.
 * Defaults are the field initialisers.
 */
public final class ExabgpConfig implements Validated {
    public enum Mode {
        /** dns-oops is ExaBGP's "process": commands on our stdout, acks ("done"/"error") on our stdin. */
        @JsonProperty("process") PROCESS,
        /** A separately running ExaBGP, through its CLI named pipes {@code <pipe>.in} / {@code <pipe>.out}. */
        @JsonProperty("pipe") PIPE
    }

    public Mode mode = Mode.PROCESS;
    /** Pipe mode: path of the FIFOs without ".in"/".out" (Debian: /run/exabgp/exabgp). */
    public Path pipe = Path.of("/run/exabgp/exabgp");
    /** Next hop for IPv4 prefixes. */
    public String nextHop = "self";
    /**
     * Next hop for IPv6 prefixes. "self" on an IPv4 session gives an IPv4 next hop that BGP
     * speakers reject; set an IPv6 address when announcing IPv6 over an IPv4 session.
     */
    public String nextHopV6 = "self";
    /**
     * ExaBGP's local AS. ExaBGP sends an API "as-path" exactly as given, without its own AS in
     * front, so "as-path-prepend" needs it to mean the same as in BIRD: set it when a service uses
     * "as-path-prepend". Null: the prepend list is sent as the whole path.
     */
    public Long localAs;
    /** Only towards these neighbours (ExaBGP "neighbor A ..." selector); empty: every neighbour. */
    public List<String> neighbors = List.of();
    /** Process mode: wait for ExaBGP's "done"/"error" per command (exabgp.api.ack, default on in 4.2). */
    public boolean ack = true;
    /** Wait this long for one command's answer (and, in pipe mode, for opening the pipe). */
    public Duration timeout = Duration.ofSeconds(5);
    /** Re-send the whole desired state this often (repairs a restarted ExaBGP in pipe mode); 0: never. */
    public Duration resync = Duration.ofSeconds(30);
    /** At shutdown, wait this long for the withdrawals to be acknowledged. */
    public Duration stopTimeout = Duration.ofSeconds(10);
    /**
     * Pipe mode fail-safe: start ExaBGP as dns-oops' child with this argv, tied to dns-oops' life
     * (it gets SIGTERM when dns-oops dies, even by SIGKILL), so its routes never outlive us.
     * Empty: ExaBGP is run by someone else.
     */
    public List<String> supervise = List.of();

    @Override
    public void validate() {
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("\"timeout\" must be positive");
        if (resync.isNegative()) throw new IllegalArgumentException("\"resync\" must not be negative");
        if (!supervise.isEmpty() && mode != Mode.PIPE) {
            throw new IllegalArgumentException("\"supervise\" needs \"mode\": \"pipe\" (in process mode ExaBGP runs us)");
        }
        for (String n : neighbors) {
            if (!n.matches("[0-9A-Fa-f:.]+")) throw new IllegalArgumentException("neighbor '" + n + "' is not an IP address");
        }
        for (String nh : List.of(nextHop, nextHopV6)) {
            if (!nh.equals("self") && !nh.matches("[0-9A-Fa-f:.]+")) {
                throw new IllegalArgumentException("next hop '" + nh + "' must be \"self\" or an IP address");
            }
        }
    }
}
