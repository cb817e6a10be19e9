package net.dnsoops.input.serverzones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * The zone lists printed by NSD 4.6.1's {@code nsd-control zonestatus} and Knot 3.2.6's
 * {@code knotc zone-status} (captured from the real servers: two primary zones, one of them
 * configured in mixed case, a secondary not transferred yet, and on Knot a zone whose file is missing),
 * and by BIND 9.18's statistics channel ({@code /json/v1/zones}, the same zones).
 */
class ZoneListsTest {
    static String resource(String name) throws IOException {
        try (InputStream in = ZoneListsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<Name> names(String... s) {
        return java.util.Arrays.stream(s).map(Name::fromConstantString).toList();
    }

    @Test
    void nsdZonestatusListsEveryConfiguredZone() throws Exception {
        Set<Name> zones = ZoneLists.nsd(resource("nsd-control-zonestatus.txt"));
        assertEquals(names("beta.example.", "alpha.test.", "sec.test."), List.copyOf(zones));
    }

    @Test
    void knotZoneStatusListsEveryConfiguredZoneLoadedOrNot() throws Exception {
        Set<Name> zones = ZoneLists.knot(resource("knotc-zone-status.txt"));
        assertEquals(names("beta.example.", "alpha.test.", "missing.test.", "sec.test."), List.copyOf(zones));
    }

    @Test
    void bindStatisticsChannelListsPrimaryAndSecondaryZonesOfEveryViewButNotItsBuiltins() throws Exception {
        Set<Name> zones = ZoneLists.bind(resource("bind-json-v1-zones.json"));
        assertEquals(names("beta.example.", "alpha.test.", "missing.test.", "sec.test."), List.copyOf(zones));
        assertThrows(IOException.class, () -> ZoneLists.bind("{\"json-stats-version\":\"1.7\"}"));
        assertThrows(IOException.class, () -> ZoneLists.bind("<html>not found</html>"));
    }

    @Test
    void noOutputIsNoZonesButUnknownOutputIsAnError() throws Exception {
        assertEquals(Set.of(), ZoneLists.nsd(""));
        assertEquals(Set.of(), ZoneLists.knot("\n"));
        IOException e = assertThrows(IOException.class, () -> ZoneLists.knot("error: (connection refused)\n"));
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        assertThrows(IOException.class, () -> ZoneLists.nsd("error: zone list unavailable\n"));
    }
}
