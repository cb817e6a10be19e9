package net.dnsoops;

import net.dnsoops.cli.DnsOopsCommand;
import picocli.CommandLine;

/** Entry point: {@code dns-oops run|check-config|notify ...}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Hooks are processes: on Linux, vfork skips the jspawnhelper step of the default
        // posix_spawn launch and runs about 40% more hooks per second (scripts/bench, hook path).
        if (System.getProperty("jdk.lang.Process.launchMechanism") == null) {
            System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
        }
        System.exit(new CommandLine(new DnsOopsCommand()).execute(args));
    }
}
