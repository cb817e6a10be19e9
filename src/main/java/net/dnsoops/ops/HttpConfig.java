package net.dnsoops.ops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.config.Validated;

/**
 * The config's "http" section: the operations HTTP server (status, metrics, health, control,
 * status page). Absent: no HTTP server. Present (even {@code "http": {}}): these defaults, which
 * listen on loopback only. Documented in docs/http.md.
 */
public final class HttpConfig implements Validated {
    /** Where the HTTP server listens: "addr@port". Loopback by default. */
    public List<InetSocketAddress> listen = List.of(ConfigValues.addressAndPort("127.0.0.1@9553", 9553));
    /** The bearer token control POSTs (and, with protect-reads, every request) must carry. */
    public String token = "";
    /** A file holding the token (first line); preferred over "token" so the config can be world-readable. */
    public Path tokenFile;
    /** Control POSTs from 127.0.0.1/::1 need no token. Off by default; any local user can then reload. */
    public boolean allowUnauthenticatedLoopback = false;
    /** GET /status, /metrics and the status page need the token too. */
    public boolean protectReads = false;
    /** Serve the status web page at "/". */
    public boolean statusPage = true;
    /** How many recent conditions /status and the page show. */
    public int recentConditions = 50;

    @Override
    public void validate() {
        if (listen.isEmpty()) throw new IllegalArgumentException("\"listen\" must name at least one address@port");
        if (!token.isEmpty() && tokenFile != null) {
            throw new IllegalArgumentException("give \"token\" or \"token-file\", not both");
        }
        if (tokenFile != null && !Files.isReadable(tokenFile)) {
            throw new IllegalArgumentException("\"token-file\" " + tokenFile + " is not readable");
        }
        if (recentConditions < 0) throw new IllegalArgumentException("\"recent-conditions\" must be 0 or more");
        boolean exposed = listen.stream().anyMatch(a -> !a.getAddress().isLoopbackAddress());
        if (exposed && token.isEmpty() && tokenFile == null) {
            throw new IllegalArgumentException("a non-loopback \"listen\" address needs \"token\" or \"token-file\"");
        }
    }

    /** The configured token ("" when none), read from token-file when given. */
    public String resolveToken() {
        if (tokenFile == null) return token;
        try {
            String t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            int nl = t.indexOf('\n');
            return nl < 0 ? t : t.substring(0, nl).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read token-file " + tokenFile + ": " + e.getMessage(), e);
        }
    }
}
