package net.dnsoops.testsupport.dbus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Real NSD, BIND and Knot primaries for one zone each, from test-zones/dbus/ templates, on free
 * loopback ports. Each lives in its own directory; {@link #bumpSerial} edits its copy of the zone.
 */
public final class Primaries {
    public enum Kind { NSD, BIND, KNOT }

    /** One running primary. */
    public static final class Primary implements AutoCloseable {
        public final Kind kind;
        public final String zone;
        public final int port;
        public final Path dir;
        public final Proc proc;

        Primary(Kind kind, String zone, int port, Path dir, Proc proc) {
            this.kind = kind;
            this.zone = zone;
            this.port = port;
            this.dir = dir;
            this.proc = proc;
        }

        public String address() {
            return "127.0.0.1@" + port;
        }

        /** Writes serial {@code to} into the zone file and makes the server reload it (and notify). */
        public void setSerial(long to) throws IOException, InterruptedException {
            Path z = dir.resolve("zone.db");
            Files.writeString(z, Files.readString(z).replaceAll("SOA(\\s+\\S+\\s+\\S+\\s+)\\d+", "SOA$1" + to));
            Duration t = Duration.ofSeconds(10);
            switch (kind) {
                case NSD -> Proc.run(Map.of(), t, "nsd-control", "-c", dir.resolve("nsd.conf").toString(), "reload", zone);
                case BIND -> proc.signal("HUP");
                case KNOT -> Proc.run(Map.of(), t, "knotc", "-s", dir.resolve("knot.sock").toString(), "zone-reload", zone);
            }
        }

        @Override
        public void close() {
            proc.close();
        }
    }

    private Primaries() {
    }

    /** Starts a primary for {@code zone} that notifies 127.0.0.1 on {@code notifyPort} (Knot: no NOTIFY). */
    public static Primary start(Kind kind, String zone, Path dir, int notifyPort, Map<String, String> env)
            throws IOException {
        return start(kind, zone, dir, Fixtures.freePort(), notifyPort, env);
    }

    /** As above, on a port chosen by the caller (e.g. one already written into dns-oops's config). */
    public static Primary start(Kind kind, String zone, Path dir, int port, int notifyPort, Map<String, String> env)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, String> v = Map.of("DIR", dir.toAbsolutePath().toString(), "PORT", Integer.toString(port),
                "NOTIFY", Integer.toString(notifyPort), "ZONE", zone);
        Files.copy(Fixtures.TEMPLATES.resolve("zone.db"), dir.resolve("zone.db"));
        List<String> argv = switch (kind) {
            case NSD -> List.of("nsd", "-d", "-c", Fixtures.render("nsd.conf.in", dir.resolve("nsd.conf"), v).toString());
            case BIND -> List.of("named", "-g", "-c", Fixtures.render("named.conf.in", dir.resolve("named.conf"), v).toString());
            case KNOT -> List.of("knotd", "-c", Fixtures.render("knot.conf.in", dir.resolve("knot.conf"), v).toString());
        };
        Proc p = Proc.start(kind.name().toLowerCase(), dir, env, argv);
        Primary primary = new Primary(kind, zone, port, dir, p);
        try {
            Proc.await(() -> answers(port, zone), Duration.ofSeconds(15), kind + " answering for " + zone);
        } catch (AssertionError e) {
            primary.close();
            throw new AssertionError(e.getMessage() + "\n" + p.output(), e);
        }
        return primary;
    }

    private static boolean answers(int port, String zone) {
        try {
            return Proc.run(Map.of(), Duration.ofSeconds(5), "dig", "+short", "+time=1", "+tries=1", "-p",
                    Integer.toString(port), "@127.0.0.1", zone, "SOA").contains("2024");
        } catch (AssertionError | IOException | InterruptedException e) {
            return false;
        }
    }
}
