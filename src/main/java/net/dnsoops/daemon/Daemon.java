package net.dnsoops.daemon;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.ConditionFanout;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.CoreLoop;
import net.dnsoops.core.Input;
import net.dnsoops.input.notify.NotifyCounters;
import net.dnsoops.input.notify.NotifyListener;
import net.dnsoops.input.soa.SoaPoller;
import net.dnsoops.ops.StateFile;
import net.dnsoops.ops.StateSaver;
import net.dnsoops.core.PersistedZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires inputs → core → actuators from a config, and takes it apart again. The only class that
 * knows every component; the components know only the core's interfaces.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Path configPath;
    private final Clock clock;
    private volatile DnsOopsConfig config;
    private List<Actuator> actuators = List.of();
    private ConditionFanout fanout;
    private SoaPoller poller;
    private CoreLoop core;
    private NotifyListener listener;
    private final List<Input> inputs = new ArrayList<>();
    private ComponentRegistry.Context context;
    private StateSaver stateSaver;
    private final List<Actuator> embedded;
    private boolean closed;

    public Daemon(Path configPath, DnsOopsConfig config, Clock clock) {
        this(configPath, config, clock, List.of());
    }

    /**
     * With {@code embedded} actuators added to the configured ones: for programs that run
     * dns-oops inside their own JVM (the benchmark counts conditions this way).
     */
    public Daemon(Path configPath, DnsOopsConfig config, Clock clock, List<Actuator> embedded) {
        this.embedded = List.copyOf(embedded);
        this.configPath = configPath;
        this.config = config;
        this.clock = clock;
    }

    public synchronized void start() throws Exception {
        fanout = new ConditionFanout(List.of());
        poller = new SoaPoller(config.soaQueriesPerSecond, config.soaMaxInFlight);
        core = new CoreLoop(clock, new Random(), poller, fanout);
        context = new ComponentRegistry.Context(core);
        actuators = startActuators(config, context);
        fanout.replace(actuators);
        poller.start(core);
        listener = new NotifyListener(config.listen, config.tcpIdleTimeout, config.tcpMaxConnections,
                () -> config.keyRing(), config.notifyRatePerSource);
        try {
            listener.start(core);
            for (Input in : ComponentRegistry.inputs(config, context)) {
                in.start(core);
                inputs.add(in);
            }
        } catch (Exception e) {
            close();
            throw e;
        }
        core.emitBridge(ConditionType.BRIDGE_STARTED, true); // queued first: signalled before any zone news
        List<PersistedZone> saved = List.of();
        if (config.stateFile != null) {
            StateFile file = new StateFile(configPath.toAbsolutePath().resolveSibling(config.stateFile));
            saved = file.read();
            stateSaver = new StateSaver(core, file, config.stateSaveInterval);
        }
        core.start(config.zoneSettings(), saved);
        log.info("dns-oops started: {} zones, actuators {}", config.zones.size(),
                actuators.stream().map(Actuator::name).toList());
    }

    private List<Actuator> startActuators(DnsOopsConfig config, ComponentRegistry.Context context) {
        List<Actuator> started = new ArrayList<>();
        List<Actuator> all = new ArrayList<>(ComponentRegistry.actuators(config, context));
        for (Actuator a : embedded) {
            if (!actuators.contains(a)) all.add(a); else started.add(a); // an embedded one starts once
        }
        for (Actuator a : all) {
            try {
                a.start();
                started.add(a);
            } catch (Exception e) {
                // One actuator that cannot start must not take the NOTIFY bridge down with it.
                log.error("actuator {} failed to start: {}", a.name(), e.getMessage(), e);
            }
        }
        return started;
    }

    /**
     * Re-reads the config file (SIGHUP). Zones are added and removed without a restart, hooks are
     * replaced; a config that does not load is reported and the running one kept.
     */
    public synchronized boolean reload() {
        DnsOopsConfig next;
        try {
            next = ConfigLoader.load(configPath);
        } catch (ConfigException e) {
            log.error("reload failed, keeping the running config: {}", e.getMessage());
            return false;
        }
        if (!next.listen.equals(config.listen)) {
            log.warn("reload: listen addresses changed; restart dns-oops to apply them");
        }
        List<Actuator> old = actuators;
        actuators = startActuators(next, context);
        fanout.replace(actuators);
        core.configure(next.zoneSettings());
        config = next;
        List<Actuator> retired = old.stream().filter(a -> !embedded.contains(a)).toList();
        Thread closer = new Thread(() -> retired.forEach(Actuator::close), "dns-oops-reload-close");
        closer.setDaemon(true);
        closer.start();
        log.info("reloaded {}: {} zones", configPath, next.zones.size());
        return true;
    }

    public CoreLoop core() {
        return core;
    }

    /** SOA checks started so far (for the benchmark and status). */
    public long soaChecksStarted() {
        return poller.checksStarted();
    }

    /** The running actuators, configured and embedded. */
    public List<Actuator> actuators() {
        return actuators;
    }

    public NotifyCounters notifyCounters() {
        return listener.counters();
    }

    public List<InetSocketAddress> boundAddresses() {
        return listener.boundAddresses();
    }

    /** Signals bridge-stopping, lets actuators finish, stops everything. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (core != null) {
            core.emitBridge(ConditionType.BRIDGE_STARTED, false);
            core.emitBridge(ConditionType.BRIDGE_STOPPING, true);
        }
        if (listener != null) listener.close();
        for (Input in : inputs) in.close();
        if (stateSaver != null) stateSaver.close();
        if (core != null) core.close();
        for (Actuator a : actuators) {
            try {
                a.close();
            } catch (RuntimeException e) {
                log.warn("actuator {} did not close cleanly: {}", a.name(), e.toString());
            }
        }
        if (poller != null) poller.close();
        log.info("dns-oops stopped");
    }
}
