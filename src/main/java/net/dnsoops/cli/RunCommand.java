package net.dnsoops.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.daemon.Daemon;
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
        Daemon daemon = new Daemon(config, c, Clock.systemUTC());
        try {
            daemon.start();
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "dns-oops-shutdown"));
        Signal.handle(new Signal("HUP"), s -> new Thread(daemon::reload, "dns-oops-reload").start());
        stopped.await();
        return 0;
    }
}
