package net.dnsoops.ops;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.dnsoops.core.CoreLoop;
import net.dnsoops.core.PersistedZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the core's persistent zone state every {@code interval} when it changed, and once more at
 * stop. The copy is taken on the core thread; the file is written on this one.
 */
public final class StateSaver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateSaver.class);

    private final CoreLoop core;
    private final StateFile file;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dns-oops-state");
        t.setDaemon(true);
        return t;
    });
    private long savedVersion = -1;

    public StateSaver(CoreLoop core, StateFile file, Duration interval) {
        this.core = core;
        this.file = file;
        timer.scheduleWithFixedDelay(this::saveIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void saveIfChanged() {
        try {
            record Snapshot(long version, List<PersistedZone> zones) {
            }
            Snapshot s = core.query(w -> w.stateVersion() == savedVersion ? null
                    : new Snapshot(w.stateVersion(), w.persistentState())).get(10, TimeUnit.SECONDS);
            if (s == null) return;
            file.write(s.zones());
            savedVersion = s.version();
        } catch (IOException e) {
            log.error("state: cannot write {}: {} (will retry)", file.path(), e.getMessage());
        } catch (Exception e) {
            log.warn("state: save skipped: {}", e.toString());
        }
    }

    /** Saves a last time (call while the core still runs), then stops. */
    @Override
    public void close() {
        timer.shutdown();
        saveIfChanged();
    }
}
