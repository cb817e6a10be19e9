package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** DNSSEC expiry, query-rate and EDE conditions decided by the core, with a manual clock. */
class ServerSignalsTest {
    final MutableClock clock = new MutableClock();
    final List<Condition> out = new ArrayList<>();
    final ServerSignals s = new ServerSignals(clock, out::add);
    static final Name ZONE = Name.fromConstantString("signed.test.");

    List<String> names() {
        return out.stream().map(c -> c.type() + (c.raised() ? "" : ":cleared")).toList();
    }

    SignatureExpiry soa(Duration fromNow) {
        return new SignatureExpiry(ZONE, "SOA", clock.instant().plus(fromNow));
    }

    @Test
    void signaturesGoFromOkToExpiringToExpiredAndBackWhenResigned() {
        Duration warn = Duration.ofHours(1);
        SignatureExpiry sig = soa(Duration.ofHours(3));
        s.signatures("ns", ZONE, List.of(sig), warn);
        assertEquals(List.of(), names());
        clock.advance(Duration.ofHours(2).plusSeconds(1));
        s.signatures("ns", ZONE, List.of(sig), warn);
        assertEquals(List.of("dnssec-expiring"), names());
        Condition c = out.get(0);
        assertEquals("signed.test.", c.zone());
        assertEquals("ns", c.source());
        assertEquals("SOA", c.fields().get("type"));
        assertEquals("signed.test.", c.fields().get("owner"));
        assertEquals("3599", c.fields().get("time-left"));
        s.signatures("ns", ZONE, List.of(sig), warn);
        assertEquals(1, out.size(), "no repeat while the state holds");
        clock.advance(Duration.ofHours(1));
        s.signatures("ns", ZONE, List.of(sig), warn);
        assertEquals(List.of("dnssec-expiring", "dnssec-expiring:cleared", "dnssec-expired"), names());
        s.signatures("ns", ZONE, List.of(soa(Duration.ofDays(7))), warn); // re-signed
        assertEquals(List.of("dnssec-expiring", "dnssec-expiring:cleared", "dnssec-expired", "dnssec-expired:cleared"),
                names());
    }

    @Test
    void queryRateHighHasHysteresisAndRisingFollowsTheIncrease() {
        s.queryRate("ns", 50, 0, 100, 30);
        assertEquals(0, out.size());
        s.queryRate("ns", 120, 70, 100, 30);
        assertEquals(List.of("query-rate-high", "query-rate-rising"), names());
        assertEquals("120", out.get(0).fields().get("rate"));
        assertEquals("100", out.get(0).fields().get("threshold"));
        s.queryRate("ns", 95, -25, 100, 30); // above 90 % of the threshold: still high
        assertEquals(List.of("query-rate-high", "query-rate-rising", "query-rate-rising:cleared"), names());
        s.queryRate("ns", 80, -15, 100, 30);
        assertEquals("query-rate-high:cleared", names().get(3));
        s.queryRate("ns", 500, 420, 0, 0); // thresholds off: nothing
        assertEquals(4, out.size());
    }

    @Test
    void whatHoldsNowIsWhatWasRaisedAndNotCleared() {
        assertEquals(Map.of(), s.queryRatesHolding());
        s.queryRate("a", 120, 70, 100, 30);
        s.queryRate("b", 120, 0, 100, 30);
        assertEquals(Map.of(ConditionType.QUERY_RATE_HIGH, java.util.Set.of("a", "b"),
                ConditionType.QUERY_RATE_RISING, java.util.Set.of("a")), s.queryRatesHolding());
        s.queryRate("a", 10, -110, 100, 30);
        assertEquals(Map.of(ConditionType.QUERY_RATE_HIGH, java.util.Set.of("b")), s.queryRatesHolding(),
                "a route actuator started now adds only b's query-rate-high");
    }

    @Test
    void edeCodesAreRaisedOnceAndClearedWhenAnAnswerLacksThem() {
        s.extendedErrors("probe", "ns", ZONE, Map.of(20, ""));
        s.extendedErrors("probe", "ns", ZONE, Map.of(20, ""));
        assertEquals(List.of("ede"), names());
        assertEquals("20", out.get(0).fields().get("code"));
        assertEquals("Not Authoritative", out.get(0).fields().get("code-name"));
        s.extendedErrors("probe", "ns", ZONE, Map.of(18, "denied"));
        assertEquals(List.of("ede", "ede", "ede:cleared"), names());
        assertEquals("18", out.get(1).fields().get("code"));
        assertEquals("denied", out.get(1).fields().get("text"));
        assertEquals("20", out.get(2).fields().get("code"));
        s.extendedErrors("probe", "ns", ZONE, Map.of());
        assertEquals(List.of("ede", "ede", "ede:cleared", "ede:cleared"), names());
    }

    @Test
    void eachInputKeepsItsOwnCodesAndAClearedCodeCarriesItsLastText() {
        s.extendedErrors("soa-check", "127.0.0.1@53", ZONE, Map.of(14, "Zone is configured but not loaded"));
        s.extendedErrors("probe", "127.0.0.1@53", ZONE, Map.of()); // a filtered probe saw nothing: no effect on the SOA check's code
        assertEquals(List.of("ede"), names());
        assertEquals("127.0.0.1@53", out.get(0).source());
        assertEquals(ZONE.toString(), out.get(0).zone());
        s.extendedErrors("soa-check", "127.0.0.1@53", ZONE, Map.of());
        assertEquals(List.of("ede", "ede:cleared"), names());
        assertEquals("14", out.get(1).fields().get("code"));
        assertEquals("Zone is configured but not loaded", out.get(1).fields().get("text"));
    }

    @Test
    void aReloadThatRemovesAStatsServerOrTurnsItsThresholdOffClearsItsQueryRateConditions() {
        s.queryRate("nsd", 500, 400, 300, 200);
        s.queryRate("knot", 500, 0, 300, 0);
        assertEquals(List.of("query-rate-high", "query-rate-rising", "query-rate-high"), names());
        out.clear();

        s.statsRemoved("nsd");
        assertEquals(List.of("query-rate-high:cleared", "query-rate-rising:cleared"), names());
        assertEquals("nsd", out.get(0).source());
        out.clear();
        s.statsRemoved("nsd");
        assertEquals(List.of(), names(), "nothing held: nothing to clear");

        s.queryRate("knot", 500, 0, 0, 100); // rate-high turned off by a reload, rate-rising on
        assertEquals(List.of("query-rate-high:cleared"), names());
    }

    @Test
    void aReloadThatRemovesADnssecZoneClearsWhatItsSignaturesHeldAtThatServerOnly() {
        Duration warn = Duration.ofDays(2);
        s.signatures("ns", ZONE, List.of(soa(Duration.ofHours(1))), warn);
        s.signatures("other", ZONE, List.of(soa(Duration.ofHours(1))), warn);
        out.clear();

        s.dnssecRemoved("ns", ZONE);
        assertEquals(List.of("dnssec-expiring:cleared"), names());
        assertEquals("ns", out.get(0).source());
        assertEquals("signed.test.", out.get(0).zone());
        assertEquals("SOA", out.get(0).fields().get("type"));
        out.clear();
        s.signatures("ns", ZONE, List.of(soa(Duration.ofHours(1))), warn);
        assertEquals(List.of("dnssec-expiring"), names(), "added back: raised again from a clean slate");
    }

    @Test
    void aRemovedProbeClearsTheEdeCodesItsAnswersCarried() {
        s.extendedErrors("probe", "nsd", ZONE, Map.of(20, "not authoritative"));
        s.extendedErrors("probe", "knot", ZONE, Map.of(20, ""));
        out.clear();
        s.edeRemoved("nsd");
        assertEquals(List.of("ede:cleared"), names());
        assertEquals("20", out.get(0).fields().get("code"));
        assertEquals("nsd", out.get(0).source());
        assertEquals("not authoritative", out.get(0).fields().get("text"), "cleared with its last text");
    }

    @Test
    void aReloadThatRemovesAZoneClearsTheCodesItsSoaChecksSaw() {
        Name other = Name.fromConstantString("other.test.");
        s.extendedErrors("soa-check", "127.0.0.1@53", ZONE, Map.of(14, "Zone is configured but not loaded"));
        s.extendedErrors("soa-check", "127.0.0.1@53", other, Map.of(18, ""));
        s.extendedErrors("probe", "nsd", ZONE, Map.of(20, ""));
        out.clear();
        s.zonesKept(java.util.Set.of(other));
        assertEquals(List.of("ede:cleared"), names(), "the removed zone's SOA-check code; not the kept zone's, not the probe's");
        assertEquals("14", out.get(0).fields().get("code"));
        assertEquals(ZONE.toString(), out.get(0).zone());
        out.clear();
        s.zonesKept(java.util.Set.of(other));
        assertEquals(List.of(), names(), "nothing held: nothing to clear");
    }
}
