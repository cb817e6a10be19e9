package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.EnumSet;
import net.dnsoops.core.ZoneQuery;
import net.dnsoops.core.ZoneState;
import org.junit.jupiter.api.Test;

/** The parameters of GET /status as users type them, and the errors they get for bad ones. */
class StatusQueryTest {
    static ZoneQuery parse(String uri) {
        return StatusReport.query(new QueryStringDecoder(uri).parameters());
    }

    static String error(String uri) {
        return assertThrows(IllegalArgumentException.class, () -> parse(uri)).getMessage();
    }

    @Test
    void plainStatusIsABoundedPageNotReadyFirst() {
        ZoneQuery q = parse("/status");
        assertEquals(StatusReport.DEFAULT_LIMIT, q.limit());
        assertEquals(ZoneQuery.Order.STATE, q.order());
        assertTrue(q.states().isEmpty());
        assertNull(q.after());
    }

    @Test
    void filtersAndPagingAreRead() {
        ZoneQuery q = parse("/status?state=failing,expired&state=pending&service=anycast&prefix=ex&match=*.example.com"
                + "&order=name&limit=50&after=2:z9.bench.");
        assertEquals(EnumSet.of(ZoneState.FAILING, ZoneState.EXPIRED, ZoneState.PENDING), q.states());
        assertEquals("anycast", q.service());
        assertEquals("ex", q.prefix());
        assertTrue(q.match().matcher("www.example.com.").find());
        assertEquals(ZoneQuery.Order.NAME, q.order());
        assertEquals(50, q.limit());
        assertEquals("2:z9.bench.", q.after().toString());
        assertEquals(EnumSet.complementOf(EnumSet.of(ZoneState.READY)), parse("/status?state=not-ready").states());
        assertEquals(0, parse("/status?limit=0").limit());
    }

    @Test
    void globsMatchTheWholeNameAnyCaseWithOrWithoutTheFinalDot() {
        java.util.function.BiPredicate<String, String> m = (glob, name) -> ZoneQuery.glob(glob).matcher(name).find();
        assertTrue(m.test("*.example.com", "www.example.com."));
        assertTrue(m.test("*.EXAMPLE.com.", "www.example.com."));
        assertTrue(!m.test("*.example.com", "www.example.com.au."), "anchored at the end");
        assertTrue(m.test("z2*", "z21.bench."));
        assertTrue(!m.test("z2*", "xz21.bench."), "anchored at the start");
        assertTrue(m.test("*z2*", "xz21.bench."), "*text* finds text anywhere");
        assertTrue(m.test("z?.bench", "z7.bench."));
        assertTrue(!m.test("z?.bench", "z77.bench."));
        assertTrue(m.test("a+b(c)*", "a+b(c).test."), "regex characters are literal");
    }

    @Test
    void badParametersSayWhatIsWrong() {
        assertEquals("unknown state \"broken\" (known: not-ready, pending, failing, ready, refresh-failing, expiring, expired)",
                error("/status?state=broken"));
        assertEquals("limit must be a number from 0 (counts only) to 10000, not \"20000\"", error("/status?limit=20000"));
        assertEquals("limit must be a number from 0 (counts only) to 10000, not \"many\"", error("/status?limit=many"));
        assertEquals("order must be \"state\" (not-ready zones first) or \"name\", not \"size\"", error("/status?order=size"));
        assertEquals("unknown parameter \"zone\" (known: after, limit, match, order, prefix, service, state)",
                error("/status?zone=x"));
        assertEquals("not a cursor from a previous page's \"next\": abc", error("/status?after=abc"));
        assertEquals("give \"limit\" once", error("/status?limit=1&limit=2"));
    }
}
