package net.dnsoops.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.ops.HttpConfig;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that talk to a running daemon's HTTP API (status, reload,
 * refresh, drain, undrain): where it listens and the token, read from the daemon's config file
 * unless given on the command line.
 */
public final class OpsClient {
    @Option(names = {"-c", "--config"}, defaultValue = "/etc/dns-oops/dns-oops.json",
            description = "The daemon's config file, for the HTTP address and token (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--url", description = "The daemon's HTTP base URL, e.g. http://127.0.0.1:9553 (default: from the config's \"http\")")
    String url;

    @Option(names = "--token-file", description = "File holding the bearer token (default: from the config's \"http\")")
    Path tokenFile;

    /** A reply: HTTP status and body. */
    public record Reply(int status, String body) {
    }

    /** Thrown for problems the user must fix (no http section, daemon not running). */
    public static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /**
     * True when neither --url nor the config's "http" section says where the HTTP API is: then
     * the local control socket is the way to the daemon.
     */
    boolean noHttp() {
        if (url != null) return false;
        try {
            return ConfigLoader.load(config).http == null;
        } catch (ConfigException e) {
            return false; // let the HTTP path report the config error
        }
    }

    Path config() {
        return config;
    }

    public Reply get(String path) throws Failure {
        return send(HttpRequest.newBuilder(uri(path)).GET(), false);
    }

    public Reply post(String path, String jsonBody) throws Failure {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)), true);
    }

    private Reply send(HttpRequest.Builder b, boolean auth) throws Failure {
        String token = token();
        if (!token.isEmpty()) b.header("Authorization", "Bearer " + token);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new Failure("cannot reach dns-oops at " + base() + ": " + e + " (is it running, with \"http\" configured?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }

    private URI uri(String path) throws Failure {
        return URI.create(base() + path);
    }

    private HttpConfig http;

    private HttpConfig http() throws Failure {
        if (http != null) return http;
        DnsOopsConfig c;
        try {
            c = ConfigLoader.load(config);
        } catch (ConfigException e) {
            throw new Failure(e.getMessage());
        }
        if (c.http == null) throw new Failure(config + ": no \"http\" section: the daemon has no HTTP API to talk to (or give --url)");
        http = c.http;
        return http;
    }

    String base() throws Failure {
        if (url != null) return url.replaceAll("/+$", "");
        InetSocketAddress a = http().listen.get(0);
        String host = net.dnsoops.core.AddressText.of(a.getAddress());
        if (a.getAddress().isAnyLocalAddress()) host = a.getAddress() instanceof java.net.Inet6Address ? "::1" : "127.0.0.1";
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + a.getPort();
    }

    private String token() throws Failure {
        try {
            if (tokenFile != null) return Files.readString(tokenFile).strip().lines().findFirst().orElse("");
            if (url != null && !Files.isReadable(config)) return "";
            return http().resolveToken();
        } catch (IOException | IllegalStateException e) {
            throw new Failure("cannot read the token: " + e.getMessage());
        }
    }
}
