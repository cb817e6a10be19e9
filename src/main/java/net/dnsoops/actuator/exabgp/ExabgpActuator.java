package net.dnsoops.actuator.exabgp;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import net.dnsoops.core.StateView;
import net.dnsoops.route.ReconcilingActuator;
import net.dnsoops.route.Route;
import net.dnsoops.route.ServiceSettings;

/**
 * Announces service prefixes through ExaBGP 4.2 (config "exabgp"), as its API process or through
 * its named pipes. A change sends only the difference; a full pass (start, after a failure,
 * every resync) announces every desired route and withdraws every other configured prefix, which
 * restores a restarted ExaBGP and removes what an earlier run left behind.
 */
public final class ExabgpActuator extends ReconcilingActuator {
    private final ExabgpConfig config;
    private final ExabgpCommands commands;
    private final ExabgpChannel channel;
    private final ExabgpSupervisor supervisor;

    public ExabgpActuator(ExabgpConfig config, List<ServiceSettings> services, StateView state, Clock clock) {
        super("exabgp", clock, services, state, config.resync, config.stopTimeout);
        this.config = config;
        this.commands = new ExabgpCommands(config);
        this.channel = config.mode == ExabgpConfig.Mode.PROCESS ? ExabgpProcessChannel.get(config)
                : ExabgpPipeChannel.get(config);
        this.supervisor = config.supervise.isEmpty() ? null : ExabgpSupervisor.get(config.supervise);
    }

    @Override
    public void start() throws Exception {
        if (supervisor != null) supervisor.ensureRunning();
        super.start();
    }

    @Override
    protected void converge(SortedMap<String, Route> desired, SortedMap<String, Route> previous,
                            List<String> allPrefixes) throws Exception {
        if (channel.gone()) {
            if (desired.isEmpty()) return; // ExaBGP exited, and its routes went with its sessions
            throw new java.io.IOException("ExaBGP is gone");
        }
        if (supervisor != null) supervisor.ensureRunning();
        if (previous == null) {
            for (String p : allPrefixes) if (!desired.containsKey(p)) channel.send(commands.withdraw(p));
            for (Route r : desired.values()) channel.send(commands.announce(r));
            return;
        }
        for (Map.Entry<String, Route> e : previous.entrySet()) {
            if (!desired.containsKey(e.getKey())) channel.send(commands.withdraw(e.getKey()));
        }
        for (Route r : desired.values()) {
            if (!r.equals(previous.get(r.prefix()))) channel.send(commands.announce(r));
        }
    }

    @Override
    protected void withdrawnForGood() {
        if (supervisor != null) supervisor.stop();
    }

    @Override
    protected void reset() {
        channel.reset();
    }
}
