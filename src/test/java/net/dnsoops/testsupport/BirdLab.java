package net.dnsoops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import net.dnsoops.actuator.bird.BirdControl;
import net.dnsoops.actuator.bird.BirdReply;

/**
 * Two real BIRD 2 daemons on loopback, on ports chosen at run time: "edge" (127.0.0.1, AS65001;
 * the router next to the name server, with dns-oops' static protocols and optionally an ExaBGP
 * neighbour at 127.0.0.2 AS65002) and "upstream" (127.0.0.3, AS65003), which only learns what
 * the edge exports. Tests assert on the upstream: that is what the rest of the network sees.
 * Nothing is installed in the kernel (no "kernel" protocol).
 */
public final class BirdLab implements AutoCloseable {
    public final Path dir;
    public final int edgePort = FreePort.on("127.0.0.1");
    public final int upstreamPort = FreePort.on("127.0.0.3");
    public final int exabgpPort;
    public final int gobgpPort;
    public final Path edgeSocket;
    public final Path upstreamSocket;
    public final Path routes4;
    public final Path routes6;
    private ManagedProcess edge;
    private ManagedProcess upstream;

    /** @param exabgpPort the port ExaBGP listens on at 127.0.0.2, or 0 for no ExaBGP neighbour */
    public BirdLab(Path dir, int exabgpPort) {
        this(dir, exabgpPort, 0);
    }

    /** @param gobgpPort the port GoBGP listens on at 127.0.0.4 (BIRD dials it), or 0 for none */
    public BirdLab(Path dir, int exabgpPort, int gobgpPort) {
        this.dir = dir;
        this.exabgpPort = exabgpPort;
        this.gobgpPort = gobgpPort;
        this.edgeSocket = dir.resolve("edge.ctl");
        this.upstreamSocket = dir.resolve("upstream.ctl");
        this.routes4 = dir.resolve("dns-oops-routes4.conf");
        this.routes6 = dir.resolve("dns-oops-routes6.conf");
    }

    public BirdLab start() {
        try {
            Files.createDirectories(dir);
            if (!Files.exists(routes4)) Files.writeString(routes4, "");
            if (!Files.exists(routes6)) Files.writeString(routes6, "");
            Files.writeString(dir.resolve("edge.conf"), edgeConfig());
            Files.writeString(dir.resolve("upstream.conf"), upstreamConfig());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        upstream = bird("upstream", upstreamSocket);
        startEdge();
        return this;
    }

    private ManagedProcess bird(String name, Path socket) {
        ManagedProcess p = ManagedProcess.start("bird-" + name, List.of("bird", "-f", "-c",
                dir.resolve(name + ".conf").toString(), "-s", socket.toString(), "-P",
                dir.resolve(name + ".pid").toString()), dir.resolve(name + ".log"));
        Wait.until("BIRD " + name + " socket", Duration.ofSeconds(10), () -> Files.exists(socket));
        return p;
    }

    /** Starts (again) the edge BIRD and waits until the upstream session is up. */
    public void startEdge() {
        edge = bird("edge", edgeSocket);
        Wait.until("edge-upstream session", Duration.ofSeconds(20),
                () -> command(upstreamSocket, "show protocols edge").lines().stream()
                        .anyMatch(l -> l.text().contains("Established")));
    }

    /** SIGTERM to the edge BIRD; waits until it is gone. */
    public void stopEdge() {
        edge.close();
    }

    public boolean gobgpEstablished() {
        return command(edgeSocket, "show protocols gobgp").lines().stream()
                .anyMatch(l -> l.text().contains("Established"));
    }

    public boolean exabgpEstablished() {
        return command(edgeSocket, "show protocols exa").lines().stream()
                .anyMatch(l -> l.text().contains("Established"));
    }

    /** True if the upstream BIRD has a route for exactly this prefix. */
    public boolean upstreamHas(String prefix) {
        BirdReply r = command(upstreamSocket, "show route " + prefix);
        return r.ok() && r.lines().stream().anyMatch(l -> l.code() == 1007 && l.text().startsWith(prefix));
    }

    /** "show route all" for a prefix at the upstream: attributes as the network sees them. */
    public String upstreamRouteAll(String prefix) {
        return command(upstreamSocket, "show route all " + prefix).lines().stream().map(BirdReply.Line::text)
                .collect(Collectors.joining("\n"));
    }

    /** Waits until the upstream has (or no longer has) the prefix; returns the ms it took. */
    public long awaitUpstream(String prefix, boolean present, Duration limit) {
        long t0 = System.nanoTime();
        Wait.until("upstream " + (present ? "has " : "lacks ") + prefix, limit, () -> upstreamHas(prefix) == present);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    public static BirdReply command(Path socket, String cmd) {
        try (BirdControl b = BirdControl.connect(socket, Duration.ofSeconds(5))) {
            return b.command(cmd);
        } catch (IOException e) {
            throw new UncheckedIOException("BIRD " + socket + ": " + cmd, e);
        }
    }

    public String logs() {
        return "--- edge ---\n" + (edge == null ? "" : edge.logText()) + "--- upstream ---\n"
                + (upstream == null ? "" : upstream.logText());
    }

    @Override
    public void close() {
        if (edge != null) edge.close();
        if (upstream != null) upstream.close();
    }

    private String edgeConfig() {
        String exa = exabgpPort == 0 ? "" : """
                protocol bgp exa from peer {
                  description "ExaBGP with dns-oops";
                  neighbor 127.0.0.2 port %d as 65002;
                  ipv4 { import all; export none; };
                  ipv6 { import all; export none; next hop address ::1; };
                }
                """.formatted(exabgpPort);
        String gobgp = gobgpPort == 0 ? "" : """
                protocol bgp gobgp from peer {
                  description "GoBGP driven by dns-oops' command actuator";
                  neighbor 127.0.0.4 port %d as 65004;
                  ipv4 { import all; export none; };
                }
                """.formatted(gobgpPort);
        return """
                # dns-oops test: edge router next to the name server. AS65001 on 127.0.0.1:%1$d
                router id 127.0.0.1;
                log stderr all;
                protocol device { scan time 10; }
                # dns-oops writes the route lines of each family into these files (BIRD actuator)
                protocol static dns_oops4 {
                  ipv4;
                  include "%2$s";
                }
                protocol static dns_oops6 {
                  ipv6;
                  include "%3$s";
                }
                template bgp peer {
                  local 127.0.0.1 port %1$d as 65001;
                  strict bind yes;
                  multihop 2;
                  hold time 9; keepalive time 3;
                  connect delay time 1; connect retry time 1; error wait time 1, 5;
                }
                %4$s
                protocol bgp upstream from peer {
                  neighbor 127.0.0.3 port %5$d as 65003;
                  ipv4 { import none; export where proto = "dns_oops4" || proto = "exa" || proto = "gobgp"; };
                  ipv6 { import none; export where proto = "dns_oops6" || proto = "exa"; next hop address 2001:db8::1; };
                }
                """.formatted(edgePort, routes4, routes6, exa + gobgp, upstreamPort);
    }

    private String upstreamConfig() {
        return """
                # dns-oops test: the upstream that must see the anycast routes. AS65003 on 127.0.0.3:%1$d
                router id 127.0.0.3;
                log stderr all;
                protocol device { scan time 10; }
                protocol bgp edge {
                  local 127.0.0.3 port %1$d as 65003;
                  strict bind yes;
                  neighbor 127.0.0.1 port %2$d as 65001;
                  multihop 2; hold time 9; keepalive time 3;
                  connect delay time 1; connect retry time 1; error wait time 1, 5;
                  ipv4 { import all; export none; };
                  ipv6 { import all; export none; next hop address ::1; };
                }
                """.formatted(upstreamPort, edgePort);
    }
}
