package net.dnsoops.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.Health;
import net.dnsoops.daemon.Daemon;

/**
 * An embedded actuator that records every condition with all its fields (the hook recorder only
 * sees what its template names), and a way to start an in-process daemon with it.
 */
public final class ConditionRecorder implements Actuator {
    private final List<Condition> seen = new CopyOnWriteArrayList<>();

    /** Starts a daemon from {@code json} (a whole config file) written to {@code dir}, recording into a new recorder. */
    public static Daemon start(Path dir, String json, ConditionRecorder recorder) throws Exception {
        Files.createDirectories(dir);
        Path config = dir.resolve("dns-oops.json");
        Files.writeString(config, OwnControl.in(dir, json));
        Daemon d = new Daemon(config, ConfigLoader.load(config), Clock.systemUTC(), List.of(recorder));
        d.start();
        return d;
    }

    @Override
    public String name() {
        return "recorder";
    }

    @Override
    public void apply(Condition c) {
        seen.add(c);
    }

    @Override
    public Health health() {
        return Health.ok("");
    }

    public List<Condition> all() {
        return List.copyOf(seen);
    }

    /** How many raised (or cleared) conditions of this name were seen. */
    public long count(String name, boolean raised) {
        return seen.stream().filter(c -> c.type().wireName().equals(name) && c.raised() == raised).count();
    }

    public long count(Predicate<Condition> p) {
        return seen.stream().filter(p).count();
    }

    public Optional<Condition> first(Predicate<Condition> p) {
        return seen.stream().filter(p).findFirst();
    }

    /** Index of the first match at or after {@code from}, or -1. */
    public int indexOf(int from, Predicate<Condition> p) {
        List<Condition> all = all();
        for (int i = from; i < all.size(); i++) if (p.test(all.get(i))) return i;
        return -1;
    }

    public String dump() {
        return "conditions:\n" + seen.stream().map(c -> c.time() + " " + c + " " + c.fields())
                .collect(Collectors.joining("\n"));
    }
}
