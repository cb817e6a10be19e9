package net.dnsoops.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.ops.SystemdNotify;
import net.dnsoops.ops.SystemdSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** Runs the daemon in the foreground until SIGTERM or SIGINT; SIGHUP reloads the config. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the bridge in the foreground (logs to stderr). SIGHUP reloads, SIGTERM/SIGINT stop.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, defaultValue = "/etc/dns-oops/dns-oops.json",
            description = "Config file (default: ${DEFAULT-VALUE})")
    Path config;

    @Override
    public Integer call() throws Exception {
        DnsOopsConfig c;
        try {
            c = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        net.dnsoops.ops.LogLayout.use(net.dnsoops.ops.LogLayout.parse(c.logFormat));
        Daemon daemon = new Daemon(config, c, Clock.systemUTC());
        try {
            daemon.start();
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage());
            return 2;
        }
        // SIGTERM/SIGINT end the wait below; the stop runs on this thread and exits 0, as a
        // service manager expects of a clean stop. The shutdown hook covers other exits.
        // Under systemd (Type=notify): READY=1 after the first verification round, WATCHDOG=1, STOPPING=1.
        Optional<SystemdSupervisor> systemd = SystemdNotify.fromEnvironment(System.getenv())
                .map(n -> new SystemdSupervisor(n, probe(daemon)));
        systemd.ifPresent(s -> s.start(System.getenv()));
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("HUP"), s -> new Thread(() -> {
            if (systemd.isPresent()) systemd.get().reloading(daemon::reload);
            else daemon.reload();
        }, "dns-oops-reload").start());
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "dns-oops-shutdown"));
        stop.await();
        log.info("stopping on signal");
        systemd.ifPresent(SystemdSupervisor::stopping);
        daemon.close();
        systemd.ifPresent(SystemdSupervisor::close);
        return 0;
    }

    /** What systemd is told, read from the core thread with a bound on the wait. */
    static SystemdSupervisor.Probe probe(Daemon daemon) {
        return () -> {
            try {
                return daemon.core().query(w -> w.readiness()).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                return null; // the core did not answer in time: no READY, no watchdog ping
            }
        };
    }
}
