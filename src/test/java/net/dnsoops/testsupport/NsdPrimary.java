package net.dnsoops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real NSD serving zones from test-zones/ on 127.0.0.1 and a free port, as the primary that
 * dns-oops checks. Can be stopped and started again (same port) to make zones fail and recover.
 */
public final class NsdPrimary implements AutoCloseable {
    public final Path dir;
    public final int port = FreePort.on("127.0.0.1");
    private final List<String> zones;
    private ManagedProcess nsd;

    /** @param zoneFiles names of files under test-zones/, each "<zone>.zone" */
    public NsdPrimary(Path dir, List<String> zoneFiles) {
        this.dir = dir;
        this.zones = zoneFiles;
    }

    public NsdPrimary start() {
        try {
            Files.createDirectories(dir);
            StringBuilder conf = new StringBuilder("""
                    server:
                        ip-address: 127.0.0.1@%1$d
                        do-ip6: no
                        username: ""
                        chroot: ""
                        zonesdir: "%2$s"
                        database: ""
                        pidfile: "%2$s/nsd.pid"
                        xfrdfile: "%2$s/xfrd.state"
                        zonelistfile: "%2$s/zone.list"
                        xfrdir: "%2$s"
                        server-count: 1
                        verbosity: 1
                        logfile: "/dev/stderr"
                    remote-control:
                        control-enable: no
                    """.formatted(port, dir));
            for (String f : zones) {
                Path src = Path.of("test-zones").resolve(f);
                Path name = src.getFileName();
                Files.copy(src, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                String zone = name.toString().replaceAll("\\.zone$", "");
                conf.append("zone:\n    name: ").append(zone).append("\n    zonefile: ").append(name).append('\n');
            }
            Files.writeString(dir.resolve("nsd.conf"), conf.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nsd = ManagedProcess.start("nsd", List.of("nsd", "-d", "-c", dir.resolve("nsd.conf").toString()),
                dir.resolve("nsd.log"));
        String firstZone = zones.get(0).replaceAll("^.*/", "").replaceAll("\\.zone$", "");
        Wait.until("NSD answers on " + port, Duration.ofSeconds(10), () -> answers(firstZone));
        return this;
    }

    private boolean answers(String zone) {
        try {
            SimpleResolver r = new SimpleResolver("127.0.0.1");
            r.setPort(port);
            r.setTimeout(Duration.ofMillis(200));
            Lookup l = new Lookup(zone + ".", Type.SOA);
            l.setResolver(r);
            l.setCache(null);
            l.run();
            return l.getResult() == Lookup.SUCCESSFUL;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM and wait: the zones stop answering. */
    public void stop() {
        if (nsd != null) nsd.close();
        nsd = null;
    }

    @Override
    public void close() {
        stop();
    }
}
