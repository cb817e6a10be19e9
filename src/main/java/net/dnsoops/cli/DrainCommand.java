package net.dnsoops.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** "dns-oops drain": one line to the running daemon's control socket (see ControlClient). */
@Command(name = "drain", mixinStandardHelpOptions = true, description = "Withdraw every route of this site and keep them withdrawn (also across restarts) until undrain.")
public final class DrainCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, defaultValue = "/etc/dns-oops/dns-oops.json",
            description = "Config file naming control-socket and drain-file (default: ${DEFAULT-VALUE})")
    Path config;

    @Override
    public Integer call() {
        return ControlClient.run(config, "drain");
    }
}
