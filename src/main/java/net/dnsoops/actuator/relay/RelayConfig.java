package net.dnsoops.actuator.relay;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.dnsoops.config.Validated;
import org.xbill.DNS.Name;

/**
 * The config's "relay" section: after a verified update (zone-updated), send NOTIFY for the zone
 * to downstream targets. Defaults are the field initialisers; see docs/relay.md.
 */
public final class RelayConfig implements Validated {
    /** One downstream NOTIFY receiver. */
    public static final class Target implements Validated {
        /** addr@port (port 53 when left out). */
        public InetSocketAddress address;
        /** "udp" (BIND's and NSD's default) or "tcp". */
        public String transport = "udp";
        /** Name of a TSIG key in the top-level "keys" (or "keys-file") to sign with; null: unsigned. */
        public String key;

        @Override
        public void validate() {
            if (address == null) throw new IllegalArgumentException("\"address\" is required (addr@port)");
            if (!transport.equals("udp") && !transport.equals("tcp")) {
                throw new IllegalArgumentException("\"transport\" must be \"udp\" or \"tcp\"");
            }
        }

        boolean tcp() {
            return transport.equals("tcp");
        }

        @Override
        public String toString() {
            return net.dnsoops.config.ConfigValues.format(address) + "/" + transport + (key == null ? "" : " key " + key);
        }
    }

    /** Targets for every zone that has no entry in "zones". */
    public List<Target> targets = List.of();
    /** Per-zone targets; a zone listed here gets these instead of the global ones (an empty list: none). */
    public Map<Name, List<Target>> zones = new LinkedHashMap<>();
    /** Sends per target and update, like BIND (3). */
    public int tries = 3;
    /** How long to wait for an answer before the next try, like BIND (5 s). */
    public Duration retryInterval = Duration.ofSeconds(5);
    /** NOTIFYs waiting or in flight, over all targets; beyond it new ones are dropped (and counted). */
    public int queueSize = 10000;

    @Override
    public void validate() {
        if (tries < 1) throw new IllegalArgumentException("\"tries\" must be at least 1");
        if (retryInterval.isZero() || retryInterval.isNegative()) {
            throw new IllegalArgumentException("\"retry-interval\" must be positive");
        }
        if (queueSize < 1) throw new IllegalArgumentException("\"queue-size\" must be at least 1");
    }

    /** Every target, global and per zone (the loader checks their keys against "keys"). */
    public List<Target> all() {
        List<Target> a = new java.util.ArrayList<>(targets);
        zones.values().forEach(a::addAll);
        return a;
    }

    public boolean enabled() {
        return !all().isEmpty();
    }

    /** The targets for a zone: its own list if "zones" has one, else the global list. */
    public List<Target> targetsFor(Name zone) {
        List<Target> own = zones.get(zone);
        return own != null ? own : targets;
    }
}
