package net.dnsoops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** dns-oops as users run it: the packaged jar ("mvn package" runs before the ITs) on a config file. */
public final class DnsOopsProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target/dns-oops.jar").toAbsolutePath();
    private final ManagedProcess process;

    private DnsOopsProcess(ManagedProcess process) {
        this.process = process;
    }

    /** Writes {@code config} to dir/dns-oops.json and runs "dns-oops run -c" on it. */
    public static DnsOopsProcess start(Path dir, String config) {
        Path conf = writeConfig(dir, config);
        ProcessBuilder pb = new ProcessBuilder(argv("run", "-c", conf.toString()));
        return new DnsOopsProcess(ManagedProcess.start("dns-oops", pb, dir.resolve("dns-oops.log")));
    }

    public static Path writeConfig(Path dir, String config) {
        try {
            Files.createDirectories(dir);
            Path conf = dir.resolve("dns-oops.json");
            Files.writeString(conf, OwnControl.in(dir, config));
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line that runs the jar with the given dns-oops arguments. */
    public static List<String> argv(String... args) {
        List<String> a = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", JAR.toString()));
        a.addAll(List.of(args));
        return a;
    }

    public ManagedProcess process() {
        return process;
    }

    public String log() {
        return process.logText();
    }

    public boolean terminate(Duration wait) {
        return process.terminate(wait);
    }

    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}
