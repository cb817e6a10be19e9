package net.dnsoops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real GoBGP (gobgpd) at 127.0.0.4 AS65004, passive towards the edge BIRD of a {@link BirdLab}
 * (BIRD dials it, which comes up in about a second; GoBGP 3 itself retries only every 5 s), with
 * its gRPC API on 127.0.0.1 and a free port for the "gobgp" CLI.
 */
public final class GobgpLab {
    public final Path dir;
    public final int port = FreePort.on("127.0.0.4");
    public final int apiPort = FreePort.on("127.0.0.1");

    public GobgpLab(Path dir) {
        this.dir = dir;
    }

    public ManagedProcess start(BirdLab edge) {
        String conf = """
                [global.config]
                  as = 65004
                  router-id = "127.0.0.4"
                  port = %1$d
                  local-address-list = ["127.0.0.4"]
                [[neighbors]]
                  [neighbors.config]
                    neighbor-address = "127.0.0.1"
                    peer-as = 65001
                  [neighbors.transport.config]
                    local-address = "127.0.0.4"
                    remote-port = %2$d
                    passive-mode = true
                  [neighbors.ebgp-multihop.config]
                    enabled = true
                    multihop-ttl = 2
                  [[neighbors.afi-safis]]
                    [neighbors.afi-safis.config]
                      afi-safi-name = "ipv4-unicast"
                """.formatted(port, edge.edgePort);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("gobgpd.toml"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ManagedProcess.start("gobgpd", List.of("gobgpd", "-f", dir.resolve("gobgpd.toml").toString(), "-p",
                "--api-hosts", "127.0.0.1:" + apiPort, "--pprof-disable"), dir.resolve("gobgpd.log"));
    }

    /** The "gobgp" CLI talking to this gobgpd, as an argv prefix. */
    public List<String> cli() {
        return List.of("gobgp", "-u", "127.0.0.1", "-p", Integer.toString(apiPort));
    }
}
