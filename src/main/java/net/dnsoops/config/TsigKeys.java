package net.dnsoops.config;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/** The configured TSIG keys by (case-insensitive) name, ready for signing and verifying. */
public final class TsigKeys {
    /** dnsjava's key, and what it does not show: its algorithm and secret. */
    private record Key(TSIG tsig, Name algorithm, byte[] secret) {
    }

    private final Map<Name, Key> byName;

    private TsigKeys(Map<Name, Key> byName) {
        this.byName = Map.copyOf(byName);
    }

    public static final TsigKeys NONE = new TsigKeys(Map.of());

    static TsigKeys of(Map<String, TsigKeyConfig> keys) {
        Map<Name, Key> m = new HashMap<>();
        keys.forEach((name, k) -> {
            Name n = ConfigValues.zoneName(name);
            Name alg = TSIG.algorithmToName(k.algorithm);
            byte[] secret = Base64.getDecoder().decode(k.secret.trim());
            m.put(n, new Key(new TSIG(alg, n, secret), alg, secret));
        });
        return new TsigKeys(m);
    }

    /**
     * The keys of a key file in the "keys-file" format (refused when group or others can read
     * it), for commands that sign without a whole config.
     */
    public static TsigKeys fromFile(java.nio.file.Path file) throws ConfigException {
        Map<String, TsigKeyConfig> keys = KeysFile.read(file);
        for (Map.Entry<String, TsigKeyConfig> e : keys.entrySet()) {
            try {
                e.getValue().validate();
            } catch (IllegalArgumentException bad) {
                throw new ConfigException(file + ": key \"" + e.getKey() + "\": " + bad.getMessage());
            }
        }
        return of(keys);
    }

    /** The key with this name, or null. */
    public TSIG get(Name name) {
        Key k = byName.get(name);
        return k == null ? null : k.tsig();
    }

    /** The algorithm of the key with this name (e.g. hmac-sha256.), or null. */
    public Name algorithm(Name name) {
        Key k = byName.get(name);
        return k == null ? null : k.algorithm();
    }

    /**
     * A fresh HMAC keyed with the secret of the key with this name, for MACs dnsjava cannot
     * compute right (a BADTIME answer's). Throws if there is no such key.
     */
    public javax.crypto.Mac mac(Name name) {
        Key k = byName.get(name);
        if (k == null) throw new IllegalArgumentException("no TSIG key " + name);
        try {
            String jce = TSIG.nameToAlgorithm(k.algorithm());
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(jce);
            mac.init(new javax.crypto.spec.SecretKeySpec(k.secret(), jce));
            return mac;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("TSIG algorithm " + k.algorithm() + " not available", e);
        }
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
