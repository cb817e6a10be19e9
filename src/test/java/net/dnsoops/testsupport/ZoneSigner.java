package net.dnsoops.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Signs a test server's zone file in place with BIND's dnssec-keygen and dnssec-signzone (bind9-utils). */
public final class ZoneSigner {
    private ZoneSigner() {
    }

    /** Signs {@code zone} of {@code server} with a fresh ECDSA P-256 key; signatures valid from 60 s ago until {@code end} (e.g. "now+3600"). */
    public static void sign(DnsServer server, String zone, String end) throws IOException, InterruptedException {
        sign(server, zone, end, new String[0]);
    }

    /**
     * As {@link #sign(DnsServer, String, String)}, with more dnssec-signzone options, e.g.
     * {@code "-O", "full"} (one record per line, easy to break on purpose) or {@code "-3", "abcd"}
     * (NSEC3 with that salt). The DS set of the key is left in {@link #dsFile}.
     */
    public static void sign(DnsServer server, String zone, String end, String... options) throws IOException, InterruptedException {
        Path file = server.zoneFile(zone);
        Path keys = Files.createDirectories(server.base().resolve("keys-" + zone));
        Path unsigned = server.base().resolve(zone + "unsigned");
        Files.move(file, unsigned, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        run(keys, "dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", "-K", keys.toString(), zone);
        // -z: one key signs everything (no separate KSK); -j 0: no jitter, so the end time is exact.
        List<String> cmd = new java.util.ArrayList<>(List.of("dnssec-signzone", "-q", "-S", "-z", "-j", "0",
                "-K", keys.toString(), "-s", "now-60", "-e", end, "-o", zone, "-f", file.toString()));
        cmd.addAll(List.of(options));
        cmd.add(unsigned.toString());
        run(keys, cmd.toArray(String[]::new));
    }

    /** The DS records (one per line, "zone. IN DS ...") dnssec-signzone wrote for the zone's key. */
    public static Path dsFile(DnsServer server, String zone) {
        return server.base().resolve("keys-" + zone).resolve("dsset-" + zone);
    }

    static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sign.log").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(dir.resolve("sign.log")));
        }
    }
}
