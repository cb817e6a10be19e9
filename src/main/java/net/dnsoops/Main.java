package net.dnsoops;

import net.dnsoops.cli.DnsOopsCommand;
import picocli.CommandLine;

/** Entry point: {@code dns-oops run|check-config|notify ...}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DnsOopsCommand()).execute(args));
    }
}
