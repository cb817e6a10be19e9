package net.dnsoops.cli;

import picocli.CommandLine.Command;

/** The top-level command; the work is in its subcommands. */
@Command(name = "dns-oops", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "DNS Out Of Protocol Signalling: receives NOTIFY, verifies zones by SOA query and "
                + "signals their state to hooks, routes and buses.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, NotifyCommand.class, StatusCommand.class,
                ControlCommands.Reload.class, ControlCommands.Refresh.class, DrainCommand.class, UndrainCommand.class})
public final class DnsOopsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
