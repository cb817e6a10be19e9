package net.dnsoops.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** "dns-oops undrain": one line to the running daemon's control socket (see ControlClient). */
@Command(name = "undrain", mixinStandardHelpOptions = true, description = "End a drain: routes follow the zones again.")
public final class UndrainCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, defaultValue = "/etc/dns-oops/dns-oops.json",
            description = "Config file naming control-socket and drain-file (default: ${DEFAULT-VALUE})")
    Path config;

    @Override
    public Integer call() {
        return ControlClient.run(config, "undrain");
    }
}
