package net.dnsoops.config;

import java.util.Base64;
import java.util.Set;

/** One TSIG key (RFC 8945): {"algorithm": "hmac-sha256", "secret": "base64"}. */
public final class TsigKeyConfig implements Validated {
    static final Set<String> ALGORITHMS = Set.of("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384",
            "hmac-sha512", "hmac-md5");

    public String algorithm = "hmac-sha256";
    public String secret;

    @Override
    public void validate() {
        if (!ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("\"algorithm\": unknown TSIG algorithm \"" + algorithm + "\"; known: "
                    + String.join(", ", ALGORITHMS.stream().sorted().toList()));
        }
        if (secret == null || secret.isBlank()) throw new IllegalArgumentException("\"secret\" is required (base64)");
        try {
            if (Base64.getDecoder().decode(secret.trim()).length == 0) throw new IllegalArgumentException("empty");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"secret\" is not base64");
        }
    }
}
