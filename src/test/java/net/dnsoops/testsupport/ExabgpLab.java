package net.dnsoops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real ExaBGP 4.2 at 127.0.0.2 (AS65002) peering with the edge BIRD of a {@link BirdLab}.
 * Either it runs dns-oops as its API process ({@link #processConfig}), or it offers its CLI named
 * pipes, created here under dir/run/ with a name unique to this run ({@link #pipe}).
 */
public final class ExabgpLab {
    public final Path dir;
    public final int port = FreePort.on("127.0.0.2");
    public final String pipeName = "oops" + ThreadLocalRandom.current().nextInt(1_000_000);

    public ExabgpLab(Path dir) {
        this.dir = dir;
    }

    /** Path of the CLI FIFOs without ".in"/".out" (exist after {@link #start}). */
    public Path pipe() {
        return dir.resolve("run").resolve(pipeName);
    }

    /**
     * Writes exabgp.conf towards the edge; {@code processArgv} non-empty makes it ExaBGP's API
     * process (dns-oops under ExaBGP), else only the named pipes are used.
     */
    public Path writeConfig(BirdLab edge, List<String> processArgv) {
        String process = processArgv.isEmpty() ? "" : """
                process dns-oops {
                  run %s;
                  encoder text;
                }
                """.formatted(String.join(" ", processArgv));
        String api = processArgv.isEmpty() ? "" : "api { processes [ dns-oops ]; }";
        String conf = """
                %1$s
                neighbor 127.0.0.1 {
                  router-id 127.0.0.2;
                  local-address 127.0.0.2;
                  local-as 65002;
                  peer-as 65001;
                  connect %2$d;
                  listen %3$d;
                  hold-time 9;
                  family { ipv4 unicast; ipv6 unicast; }
                  %4$s
                }
                """.formatted(process, edge.edgePort, port, api);
        try {
            Files.createDirectories(dir.resolve("run"));
            Path p = dir.resolve("exabgp.conf");
            Files.writeString(p, conf);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts ExaBGP in the foreground; with {@code cli} it finds the FIFOs we create here. */
    public ManagedProcess start(Path conf, boolean cli) {
        return ManagedProcess.start("exabgp", builder(conf, cli), dir.resolve("exabgp.log"));
    }

    /** The command line and environment that run ExaBGP for this lab (also used under supervision). */
    public ProcessBuilder builder(Path conf, boolean cli) {
        if (cli) mkfifos();
        ProcessBuilder pb = new ProcessBuilder(argv(conf));
        pb.environment().putAll(environment(cli));
        return pb;
    }

    public List<String> argv(Path conf) {
        return List.of("/usr/sbin/exabgp", "--root", dir.toString(), conf.toString());
    }

    public java.util.Map<String, String> environment(boolean cli) {
        return java.util.Map.of(
                "exabgp.daemon.daemonize", "false",
                "exabgp.daemon.user", System.getProperty("user.name"),
                "exabgp.daemon.drop", "false",
                "exabgp.daemon.pid", "",
                "exabgp.log.destination", "stdout",
                "exabgp.api.ack", "true",
                "exabgp.api.cli", String.valueOf(cli),
                "exabgp.api.pipename", pipeName,
                "exabgp.api.respawn", "true");
    }

    public void mkfifos() {
        try {
            Files.createDirectories(dir.resolve("run"));
            for (String end : List.of(".in", ".out")) {
                Path f = dir.resolve("run").resolve(pipeName + end);
                if (Files.exists(f)) continue;
                Process p = new ProcessBuilder("mkfifo", "-m", "600", f.toString()).start();
                if (p.waitFor() != 0) throw new IOException("mkfifo " + f + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The dns-oops JVM that ExaBGP started as its API process, if any. */
    public static Optional<ProcessHandle> apiProcess(ManagedProcess exabgp) {
        return exabgp.process().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains("dns-oops.jar")).findFirst();
    }

    public static void awaitEstablished(BirdLab lab) {
        Wait.until("ExaBGP session with the edge", Duration.ofSeconds(20), lab::exabgpEstablished);
    }
}
