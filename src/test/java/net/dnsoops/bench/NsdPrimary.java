package net.dnsoops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real NSD as the benchmark's {@link Primary}. Debian's NSD reads and answers one datagram per
 * system call (built with --disable-recvmmsg).
 */
final class NsdPrimary extends Primary {
    /** On ip@port (the side-by-side run puts it where nsnotifyd asks: the notifier's address, port 53). */
    NsdPrimary(Path dir, int zones, String ip, int port) throws IOException {
        super(dir, zones, ip, port);
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n    ip-address: ").append(ip).append("@").append(port).append("\n    do-ip6: no\n    username: \"\"\n")
                .append("    chroot: \"\"\n    zonesdir: \"").append(dir).append("\"\n    database: \"\"\n")
                .append("    pidfile: \"").append(dir).append("/nsd.pid\"\n    xfrdfile: \"").append(dir)
                .append("/xfrd.state\"\n    zonelistfile: \"").append(dir).append("/zone.list\"\n    xfrdir: \"")
                .append(dir).append("\"\n    server-count: 1\n    verbosity: 0\n    logfile: \"").append(dir)
                .append("/nsd.log\"\n    tcp-count: 1000\n")
                .append("key:\n    name: ").append(KEY_NAME).append("\n    algorithm: hmac-sha256\n    secret: \"")
                .append(KEY_SECRET).append("\"\n")
                .append("remote-control:\n    control-enable: yes\n    control-interface: \"").append(dir)
                .append("/nsd.ctl\"\npattern:\n    name: bench\n    zonefile: \"bench.zone\"\n");
        for (int i = 0; i < zones; i++) {
            conf.append("zone:\n    name: z").append(i).append(".bench\n    include-pattern: bench\n");
        }
        Files.writeString(dir.resolve("nsd.conf"), conf);
    }

    @Override
    String name() {
        return "nsd";
    }

    @Override
    protected List<String> command() {
        return List.of("nsd", "-d", "-c", dir.resolve("nsd.conf").toString());
    }

    @Override
    protected List<String> reloadCommand() {
        return List.of("nsd-control", "-c", dir.resolve("nsd.conf").toString(), "reload");
    }
}
