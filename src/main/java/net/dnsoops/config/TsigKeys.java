package net.dnsoops.config;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/** The configured TSIG keys by (case-insensitive) name, ready for signing and verifying. */
public final class TsigKeys {
    private final Map<Name, TSIG> byName;

    private TsigKeys(Map<Name, TSIG> byName) {
        this.byName = Map.copyOf(byName);
    }

    public static final TsigKeys NONE = new TsigKeys(Map.of());

    static TsigKeys of(Map<String, TsigKeyConfig> keys) {
        Map<Name, TSIG> m = new HashMap<>();
        keys.forEach((name, k) -> {
            Name n = ConfigValues.zoneName(name);
            m.put(n, new TSIG(TSIG.algorithmToName(k.algorithm), n, Base64.getDecoder().decode(k.secret.trim())));
        });
        return new TsigKeys(m);
    }

    /** The key with this name, or null. */
    public TSIG get(Name name) {
        return byName.get(name);
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
