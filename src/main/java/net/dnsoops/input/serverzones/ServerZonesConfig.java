package net.dnsoops.input.serverzones;

import java.time.Duration;
import java.util.List;
import net.dnsoops.config.Validated;
import net.dnsoops.input.ControlCommand;

/**
 * One entry of "server-zones": a local name server whose own zone list is read to report the
 * zones it serves that dns-oops does not watch (zone-unwatched). Field initialisers are the
 * defaults; see docs/zones.md.
 */
public final class ServerZonesConfig implements Validated {
    /** Which server: "nsd" (nsd-control zonestatus), "knot" (knotc zone-status) or "bind" (statistics channel /json/v1/zones). */
    public String server;
    /**
     * Where to read: nsd: the nsd.conf for {@code nsd-control -c} (null: nsd-control's default);
     * knot: the control socket for {@code knotc -s} (null: knotc's default); bind: the statistics
     * channel's base URL, e.g. "http://127.0.0.1:8053" (required).
     */
    public String control;
    /** How conditions name the server (their "source"); default: the server kind. */
    public String name;
    /** Time between two readings of the list. */
    public Duration interval = Duration.ofMinutes(5);
    /** Reading the list must finish within this. */
    public Duration timeout = Duration.ofSeconds(10);

    @Override
    public void validate() {
        ControlCommand.checkServer(server, control);
        if (control != null && control.isBlank()) throw new IllegalArgumentException("\"control\" must not be empty; leave it out for the default");
        if (interval.isZero() || interval.isNegative()) throw new IllegalArgumentException("\"interval\" must be positive");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("\"timeout\" must be positive");
    }

    public String serverName() {
        return name != null && !name.isBlank() ? name : server;
    }

    /** bind: the statistics channel's page with the zone list. */
    String url() {
        return control.replaceAll("/+$", "") + "/json/v1/zones";
    }

    /** nsd, knot: the command that prints the server's zone list. */
    List<String> command() {
        return switch (server) {
            case "nsd" -> control == null ? List.of("nsd-control", "zonestatus")
                    : List.of("nsd-control", "-c", control, "zonestatus");
            default -> control == null ? List.of("knotc", "zone-status")
                    : List.of("knotc", "-s", control, "zone-status");
        };
    }
}
