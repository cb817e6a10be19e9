package net.dnsoops.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Loads a config and reports the first error with file, line, column and field. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Check a config file; exit 1 and name the problem if it is not usable.")
public final class CheckConfigCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, defaultValue = "/etc/dns-oops/dns-oops.json",
            description = "Config file (default: ${DEFAULT-VALUE})")
    Path config;

    @Override
    public Integer call() {
        try {
            DnsOopsConfig c = ConfigLoader.load(config);
            System.out.printf("%s: OK: %d zones, %d hooks, listening on %d addresses%n", config, c.zones.size(),
                    c.hooks.size(), c.listen.size());
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
