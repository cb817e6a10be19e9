package net.dnsoops.input.serverzones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Health;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FakeCore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * What the input tells the core and shows in health over a reload and a failing channel, with a
 * loopback HTTP server answering BIND's captured /json/v1/zones (or HTTP 500 when told to).
 */
class ServerZonesReloadTest {
    final List<String> told = new CopyOnWriteArrayList<>();
    final AtomicReference<Consumer<Set<Name>>> listener = new AtomicReference<>();
    final CoreSink core = new FakeCore() {
        @Override
        public void zonesServed(String server, Set<Name> zones, Consumer<Set<Name>> unwatchedNow) {
            told.add("served " + server + " " + zones.size());
            listener.set(unwatchedNow);
        }

        @Override
        public void serverZonesRemoved(String server) {
            told.add("removed " + server);
        }
    };
    volatile int status = 200;
    HttpServer http;
    ServerZonesInput input;

    ServerZonesConfig bind(String name, Duration interval) throws Exception {
        if (http == null) {
            byte[] body = ZoneListsTest.resource("bind-json-v1-zones.json").getBytes(StandardCharsets.UTF_8);
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/json/v1/zones", x -> {
                byte[] b = status == 200 ? body : "broken".getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(status, b.length);
                x.getResponseBody().write(b);
                x.close();
            });
            http.start();
        }
        ServerZonesConfig c = new ServerZonesConfig();
        c.server = "bind";
        c.name = name;
        c.control = "http://127.0.0.1:" + http.getAddress().getPort();
        c.interval = interval;
        c.timeout = Duration.ofSeconds(2);
        c.validate();
        return c;
    }

    @AfterEach
    void close() {
        if (input != null) input.close();
        if (http != null) http.stop(0);
    }

    @Test
    void unwatchedZonesDegradeAFailedReadingFailsAndAReloadKeepsOrClearsWhatTheCoreHolds() throws Exception {
        input = new ServerZonesInput(List.of(bind("local", Duration.ofMillis(200))), Clock.systemUTC());
        input.start(core);
        Eventually.await(Duration.ofSeconds(5), "first reading", () -> listener.get() != null, told::toString);
        assertEquals("served local 4", told.get(0));
        listener.get().accept(Set.of(Name.fromConstantString("sec.test."), Name.fromConstantString("missing.test.")));
        Health h = input.health();
        assertEquals(Health.Status.DEGRADED, h.status(), h.detail());
        assertTrue(h.detail().startsWith("2 zone(s) served but not watched: local "), h.detail());
        assertEquals(2, input.statusDetails().get("zones-unwatched"));

        status = 500; // the channel breaks: a failure, and the core hears nothing new
        Eventually.await(Duration.ofSeconds(5), "failed reading", () -> input.health().detail().startsWith("cannot read"),
                () -> input.health().toString());
        assertEquals(Health.Status.DEGRADED, input.health().status());
        int readings = told.size();
        Eventually.sleep(600);
        assertEquals(readings, told.size(), "a failed reading tells the core nothing: " + told);
        assertTrue(input.health().detail().contains("answered HTTP 500"), input.health().detail());
        assertTrue(input.health().detail().contains("from the last good list: 2 zone(s)"), input.health().detail());

        // A changed entry: a new reader, still showing what the core holds until the core says otherwise.
        input.reconfigure(List.of(bind("local", Duration.ofHours(1))));
        assertEquals(2, input.statusDetails().get("zones-unwatched"));
        Eventually.await(Duration.ofSeconds(5), "the new reader read (and failed)",
                () -> input.health().detail().startsWith("cannot read"), () -> input.health().toString());
        assertEquals(2, input.statusDetails().get("zones-unwatched"));

        assertTrue(!input.reconfigure(List.of()), "an empty list closes the input");
        assertEquals("removed local", told.get(told.size() - 1));
        assertEquals(Map.of(), input.statusDetails().get("servers"));
    }

    static String error(String json) {
        try {
            net.dnsoops.config.ConfigLoader.parse(json, "t.json");
            return "loaded";
        } catch (net.dnsoops.config.ConfigException e) {
            return e.getMessage();
        }
    }

    @Test
    void badEntriesSayWhatIsWrong() {
        assertTrue(error("{ \"server-zones\": [ { \"server\": \"pdns\" } ] }")
                .contains("\"server\" must be \"nsd\", \"knot\" or \"bind\""));
        assertTrue(error("{ \"server-zones\": [ { \"server\": \"bind\" } ] }").contains("statistics channel URL"));
        assertTrue(error("{ \"server-zones\": [ { \"server\": \"nsd\" }, { \"server\": \"nsd\", \"control\": \"/x\" } ] }")
                .contains("nsd is configured twice"));
        assertEquals("loaded", error("{ \"server-zones\": [ { \"server\": \"knot\" } ] }"));
    }
}
