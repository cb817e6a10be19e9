package net.dnsoops.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.config.DnsOopsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * "dns-oops drain": one line to the running daemon's control socket (see ControlClient). With
 * --wait it returns only once every route actuator has confirmed its routes withdrawn, so a
 * name server's stop script (ExecStop) can drain first and stop the server after.
 */
@Command(name = "drain", mixinStandardHelpOptions = true, description = "Withdraw every route of this site and keep them withdrawn (also across restarts) until undrain.")
public final class DrainCommand implements Callable<Integer> {
    /** A route actuator's health detail: "N prefixes announced", "(drained)" once drained. */
    private static final Pattern ANNOUNCED = Pattern.compile("(\\d+) prefixes announced");

    @Option(names = {"-c", "--config"}, defaultValue = "/etc/dns-oops/dns-oops.json",
            description = "Config file naming control-socket and drain-file (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--wait", description = "Return only when every route actuator confirms its routes withdrawn")
    boolean await;

    @Option(names = "--timeout", defaultValue = "30s", description = "Give up waiting after this long (default: ${DEFAULT-VALUE}); exit 1")
    String timeout;

    @Override
    public Integer call() throws InterruptedException {
        int rc = ControlClient.run(config, "drain");
        if (rc != 0 || !await) return rc;
        DnsOopsConfig c;
        Duration limit;
        try {
            c = ConfigLoader.load(config);
            limit = ConfigValues.duration(timeout);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("dns-oops: " + e.getMessage());
            return ControlClient.UNREACHABLE;
        }
        long end = System.nanoTime() + limit.toNanos();
        String status = "";
        while (System.nanoTime() < end) {
            try {
                status = ControlClient.ask(c, "status");
            } catch (IOException e) {
                String why = ControlClient.whyUnreachable(c, e);
                if (why == null) {
                    System.out.println("ok not running: nothing announced by dns-oops");
                    return ControlClient.OK;
                }
                System.err.println("dns-oops: drain --wait: " + why);
                return ControlClient.UNREACHABLE;
            }
            if (status != null && allWithdrawn(status)) {
                System.out.println("ok every route withdrawn");
                return 0;
            }
            Thread.sleep(50);
        }
        System.err.println("dns-oops: drain: routes not confirmed withdrawn after " + timeout + ": " + status);
        return ControlClient.REFUSED;
    }

    /** True when the status line shows the drain and no route actuator announcing anything. */
    static boolean allWithdrawn(String status) {
        if (!status.startsWith("ok drained")) return false;
        if (status.contains("not converged") || status.contains("cannot converge")) return false;
        Matcher m = ANNOUNCED.matcher(status);
        while (m.find()) {
            if (!m.group(1).equals("0")) return false;
        }
        return true;
    }
}
