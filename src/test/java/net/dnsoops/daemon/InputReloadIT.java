package net.dnsoops.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.dnsoops.testsupport.DnsOopsProcess;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * SIGHUP applies new "probe" and "stats" sections to the packaged daemon (target/dns-oops.jar)
 * watching real NSD servers, as an operator would change them: a probe switched to a stopped
 * server says server-down and its service is not ready; a probe that did not change is not
 * said up again; a broken file changes nothing; a removed probe's server-down is cleared and
 * the service is ready again; a lowered rate-high raises query-rate-high and removing the
 * server clears it. What the test reads is what a hook sees.
 */
class InputReloadIT {
    @TempDir
    Path dir;

    /** The daemon's config: a recording hook for the conditions these tests follow, then {@code body}. */
    String config(int notifyPort, String body) {
        String hook = Paths.get("test-zones/hooks/record").toAbsolutePath().toString();
        return "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                + " \"control-socket\": \"" + dir.resolve("control.sock") + "\", \"drain-file\": \"" + dir.resolve("drained") + "\","
                + " \"hooks\": [ { \"on\": [\"server-up\", \"server-down:any\", \"service-ready:any\", \"service-not-ready:any\","
                + " \"query-rate-high:any\"], \"command\": [\"" + hook + "\", \"" + records() + "\", \"{condition}:{state}\","
                + " \"{source}\", \"{service}\"], \"retries\": 0 } ],\n" + body + " }";
    }

    Path records() {
        return dir.resolve("records.txt");
    }

    List<String> lines() {
        try {
            return Files.exists(records()) ? Files.readAllLines(records()) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String line) {
        // Server conditions have no {service}, service conditions no {source}: compare words.
        return lines().stream().filter(l -> l.strip().replaceAll("\\s+", " ").equals(line)).count();
    }

    String dump(DnsOopsProcess d) {
        return "hook records:\n" + String.join("\n", lines()) + "\n--- dns-oops log:\n" + d.log();
    }

    static String probe(String name, DnsServer at) {
        // interval 200 ms, timeout 200 ms, fall 3: down within about 1.2 s of the reload.
        return "{ \"name\": \"" + name + "\", \"address\": \"" + at.primary() + "\", \"zone\": \"nsd.test.\","
                + " \"interval\": \"200ms\", \"timeout\": \"200ms\", \"rise\": 2, \"fall\": 3, \"services\": [\"anycast\"] }";
    }

    void reload(DnsOopsProcess d, Path conf, String text, String expectInLog) throws Exception {
        int before = occurrences(d.log(), expectInLog);
        Files.writeString(conf, text);
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(d.process().pid())).start();
        assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -HUP");
        Eventually.await(Duration.ofSeconds(10), "\"" + expectInLog + "\" in the log after SIGHUP",
                () -> occurrences(d.log(), expectInLog) > before, () -> dump(d));
    }

    static int occurrences(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    @Test
    void sighupSwitchesAProbeToAStoppedServerKeepsTheUnchangedOneRejectsABrokenFileAndClearsARemovedOne()
            throws Exception {
        int notifyPort = FreePorts.next();
        try (DnsServer running = DnsServer.start(DnsServer.Kind.NSD, dir.resolve("running"), notifyPort, "nsd.test.");
             DnsServer stopped = DnsServer.start(DnsServer.Kind.NSD, dir.resolve("stopped"), notifyPort, "nsd.test.")) {
            stopped.stop(); // a name server that was there and is not any more
            String zones = "\"zones\": { \"nsd.test.\": { \"primaries\": [\"" + running.primary() + "\"], \"group\": \"anycast\" } },";
            Path conf = DnsOopsProcess.writeConfig(dir, config(notifyPort,
                    zones + " \"probe\": [ " + probe("steady", running) + ", " + probe("local", running) + " ]"));
            try (DnsOopsProcess d = DnsOopsProcess.start(dir, Files.readString(conf))) {
                Eventually.await(Duration.ofSeconds(30), "both servers up, the service ready",
                        () -> count("server-up:raised local") == 1 && count("server-up:raised steady") == 1
                                && count("service-ready:raised anycast") == 1, () -> dump(d));

                // "local" now points at the stopped server; "steady" is written again unchanged.
                reload(d, conf, config(notifyPort, zones + " \"probe\": [ " + probe("steady", running) + ", "
                        + probe("local", stopped) + " ]"), "reloaded");
                Eventually.await(Duration.ofSeconds(5), "server-down of local, service not ready",
                        () -> count("server-down:raised local") == 1 && count("service-ready:cleared anycast") == 1
                                && count("service-not-ready:raised anycast") == 1, () -> dump(d));
                assertEquals(1, count("server-up:raised steady"), "the unchanged probe is not said up again\n" + dump(d));
                assertEquals(1, count("server-up:raised local"), "up until the new target failed `fall` times\n" + dump(d));

                // A broken file that would point "local" back at the running server: rejected as a whole.
                reload(d, conf, config(notifyPort, zones + " \"probe\": [ " + probe("steady", running) + ", "
                        + probe("local", running) + " ], \"stats\": [ { \"server\": \"nsd\", \"rate-hihg\": 5 } ]"),
                        "reload failed, keeping the running config");
                Eventually.sleep(1500); // rise is 2 probes of 200 ms: a wrongly applied probe would be up by now
                assertEquals(1, count("server-up:raised local"), "the rejected file changed nothing\n" + dump(d));
                assertTrue(d.log().contains("rate-hihg"), "the error names the field\n" + d.log());

                // "local" removed: its server-down no longer holds the service back.
                reload(d, conf, config(notifyPort, zones + " \"probe\": [ " + probe("steady", running) + " ]"), "reloaded");
                Eventually.await(Duration.ofSeconds(5), "server-down of local cleared, the service ready again",
                        () -> count("server-down:cleared local") == 1 && count("service-ready:raised anycast") == 2,
                        () -> dump(d));
                assertEquals(1, count("server-up:raised steady"), dump(d));
            }
        }
    }

    @Test
    void sighupLowersAStatsThresholdBelowTheLoadThenRemovingTheServerClearsQueryRateHigh() throws Exception {
        int notifyPort = FreePorts.next();
        try (DnsServer nsd = DnsServer.start(DnsServer.Kind.NSD, dir.resolve("nsd"), notifyPort, "nsd.test.")) {
            String zones = "\"zones\": { \"nsd.test.\": { \"primaries\": [\"" + nsd.primary() + "\"] } }";
            String stats = ", \"stats\": [ { \"server\": \"nsd\", \"control\": \"" + nsd.statsControl() + "\", \"name\": \"local\","
                    + " \"interval\": \"1s\", \"rate-high\": %d } ]";
            Path conf = DnsOopsProcess.writeConfig(dir, config(notifyPort, zones + stats.formatted(100000)));
            AtomicBoolean loading = new AtomicBoolean(true);
            try (DnsOopsProcess d = DnsOopsProcess.start(dir, Files.readString(conf))) {
                Thread load = new Thread(() -> load(nsd.address(), 200, Duration.ofSeconds(25), loading), "load");
                load.start();
                try {
                    Eventually.await(Duration.ofSeconds(30), "dns-oops reading NSD's counters",
                            () -> d.log().contains("bridge-started raised"), () -> dump(d));
                    Eventually.sleep(3000); // three readings at about 200 queries/s: far below 100,000
                    assertEquals(0, count("query-rate-high:raised local"), dump(d));

                    reload(d, conf, config(notifyPort, zones + stats.formatted(50)), "reloaded");
                    Eventually.await(Duration.ofSeconds(6), "query-rate-high at the lowered threshold",
                            () -> count("query-rate-high:raised local") == 1, () -> dump(d));

                    reload(d, conf, config(notifyPort, zones), "reloaded");
                    Eventually.await(Duration.ofSeconds(5), "query-rate-high cleared with the server's stats removed",
                            () -> count("query-rate-high:cleared local") == 1, () -> dump(d));
                    assertTrue(loading.get(), "cleared while the load went on: by the reload, not by the rate");
                } finally {
                    loading.set(false);
                    load.join(5000);
                }
            }
        }
    }

    /** SOA queries at about {@code perSecond} until {@code on} is false or {@code limit} passed. */
    static void load(InetSocketAddress server, int perSecond, Duration limit, AtomicBoolean on) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] q = Message.newQuery(Record.newRecord(Name.fromString("nsd.test."), Type.SOA, DClass.IN)).toWire();
            long start = System.nanoTime();
            long end = start + limit.toNanos();
            for (int sent = 0; on.get() && System.nanoTime() < end; sent++) {
                long wait = start + (long) sent * 1_000_000_000L / perSecond - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                q[0] = (byte) (sent >> 8);
                q[1] = (byte) sent;
                s.send(new DatagramPacket(q, q.length, server));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        on.set(false);
    }
}
