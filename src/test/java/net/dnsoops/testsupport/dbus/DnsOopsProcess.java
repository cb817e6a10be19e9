package net.dnsoops.testsupport.dbus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** dns-oops as users run it: the shaded jar from {@code mvn package}, a config file, stderr logs. */
public final class DnsOopsProcess implements AutoCloseable {
    public final Proc proc;
    public final int notifyPort;

    private DnsOopsProcess(Proc proc, int notifyPort) {
        this.proc = proc;
        this.notifyPort = notifyPort;
    }

    /** Starts dns-oops with {@code configJson} (which should listen on {@code notifyPort}); waits for "started". */
    public static DnsOopsProcess start(Path dir, int notifyPort, String configJson, Map<String, String> env)
            throws IOException {
        Path jar = Path.of("target", "dns-oops.jar").toAbsolutePath();
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " missing: run mvn package (verify does)");
        Path cfg = Files.writeString(dir.resolve("dns-oops.json"), net.dnsoops.testsupport.OwnControl.in(dir, configJson));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Proc p = Proc.start("dns-oops", dir, env, List.of(java, "-Xmx128m", "-jar", jar.toString(), "run", "-c",
                cfg.toString()));
        DnsOopsProcess d = new DnsOopsProcess(p, notifyPort);
        try {
            p.awaitOutput("dns-oops started", Duration.ofSeconds(20));
        } catch (AssertionError e) {
            d.close();
            throw new AssertionError(e.getMessage() + "\n" + p.output(), e);
        }
        return d;
    }

    @Override
    public void close() {
        proc.close();
    }
}
