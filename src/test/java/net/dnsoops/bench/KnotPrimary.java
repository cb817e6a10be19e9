package net.dnsoops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Knot DNS as the benchmark's {@link Primary} ({@code --primary knot}). Knot reads and
 * answers UDP in batches (recvmmsg/sendmmsg), so an answer costs it less than NSD one at a time
 * (6-7 against 14-15 µs here during {@code verified}). One UDP worker thread, as NSD runs one
 * server process. Knot's UDP socket takes the system's default receive buffer
 * ({@code net.core.rmem_default}, 208 KiB on Debian), where NSD asks for 2 MiB itself: with the
 * default, a burst of 1,000 SOA checks in flight overflows it and queries are lost (3,485 timeouts
 * in 3 rounds of 50,000, some zones unverified after 3 tries). The constructor says so.
 */
final class KnotPrimary extends Primary {
    KnotPrimary(Path dir, int zones, String ip, int port) throws IOException {
        super(dir, zones, ip, port);
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n    rundir: \"").append(dir).append("\"\n    listen: ").append(ip).append("@").append(port)
                .append("\n    udp-workers: 1")
                .append("\n    tcp-workers: 1\n    background-workers: 2\n")
                .append("database:\n    storage: \"").append(dir).append("\"\n")
                .append("control:\n    listen: \"").append(dir).append("/knot.sock\"\n")
                .append("log:\n  - target: stdout\n    any: warning\n")
                .append("key:\n  - id: ").append(KEY_NAME).append("\n    algorithm: hmac-sha256\n    secret: ")
                .append(KEY_SECRET).append("\n")
                // one zone file for all, never written back, no journal: a reload only re-reads it
                .append("template:\n  - id: default\n    storage: \"").append(dir).append("\"\n    file: \"")
                .append(dir).append("/bench.zone\"\n    zonefile-sync: -1\n    zonefile-load: whole\n")
                .append("    journal-content: none\n    semantic-checks: off\n")
                .append("zone:\n");
        for (int i = 0; i < zones; i++) conf.append("  - domain: ").append(Primary.zone(i)).append('\n');
        Files.writeString(dir.resolve("knot.conf"), conf);
        // readAllLines: Files.readString read only the first byte of this procfs file here
        long rmem = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_default")).get(0).trim());
        if (rmem < (1 << 20)) {
            System.out.printf("NOTE: net.core.rmem_default is %d bytes; Knot's UDP socket gets that much and drops SOA"
                    + " queries under load. For comparable figures: sysctl -w net.core.rmem_default=2097152 (NSD asks"
                    + " for 2 MiB itself), or lower the daemon's soa-max-in-flight (-Dbench.soa-max-in-flight=256)%n", rmem);
        }
    }

    @Override
    String name() {
        return "knotd";
    }

    @Override
    protected List<String> command() {
        return List.of("knotd", "-c", dir.resolve("knot.conf").toString());
    }

    /** Blocking (-b): returns once every zone is reloaded, which takes Knot about 40 s for 100,000 zones. */
    @Override
    protected List<String> reloadCommand() {
        return List.of("knotc", "-s", dir.resolve("knot.sock").toString(), "-b", "zone-reload");
    }
}
