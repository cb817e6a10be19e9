package net.dnsoops.actuator.relay;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.dnsoops.config.Validated;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

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
        /** Name of a TSIG key in "keys" to sign with; null: unsigned. */
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

    /** A TSIG key (RFC 8945): algorithm and base64 secret, as in named.conf / knot.conf. */
    public static final class Key implements Validated {
        public String algorithm = "hmac-sha256";
        public String secret;

        @Override
        public void validate() {
            if (secret == null) throw new IllegalArgumentException("\"secret\" is required (base64)");
            try {
                Base64.getDecoder().decode(secret);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"secret\" is not base64");
            }
            try {
                TSIG.algorithmToName(algorithm);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"algorithm\" '" + algorithm
                        + "' unknown (hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha1, hmac-md5)");
            }
        }
    }

    /** Targets for every zone that has no entry in "zones". */
    public List<Target> targets = List.of();
    /** Per-zone targets; a zone listed here gets these instead of the global ones (an empty list: none). */
    public Map<Name, List<Target>> zones = new LinkedHashMap<>();
    /** TSIG keys by key name. */
    public Map<String, Key> keys = new LinkedHashMap<>();
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
        for (Target t : all()) {
            if (t.key != null && !keys.containsKey(t.key)) {
                throw new IllegalArgumentException("target " + t + " names key \"" + t.key + "\", which \"keys\" does not define");
            }
        }
    }

    private List<Target> all() {
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

    TSIG tsig(String keyName) {
        if (keyName == null) return null;
        Key k = keys.get(keyName);
        return new TSIG(TSIG.algorithmToName(k.algorithm), Name.fromConstantString(
                keyName.endsWith(".") ? keyName : keyName + "."), k.secret);
    }
}
