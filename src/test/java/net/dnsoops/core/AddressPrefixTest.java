package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** Who may send a NOTIFY: prefix matching decides it for every datagram received. */
class AddressPrefixTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void matchesOnPrefixBoundariesInsideAndAcrossBytes() throws Exception {
        assertTrue(AddressPrefix.parse("192.0.2.0/24").contains(ip("192.0.2.255")));
        assertFalse(AddressPrefix.parse("192.0.2.0/24").contains(ip("192.0.3.0")));
        assertTrue(AddressPrefix.parse("10.64.0.0/10").contains(ip("10.127.255.255")));
        assertFalse(AddressPrefix.parse("10.64.0.0/10").contains(ip("10.128.0.0")));
        assertTrue(AddressPrefix.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        assertTrue(AddressPrefix.parse("198.51.100.7").contains(ip("198.51.100.7")));
        assertFalse(AddressPrefix.parse("198.51.100.7").contains(ip("198.51.100.6")));
        assertTrue(AddressPrefix.parse("2001:db8::/33").contains(ip("2001:db8:7fff::1")));
        assertFalse(AddressPrefix.parse("2001:db8::/33").contains(ip("2001:db8:8000::1")));
        assertTrue(AddressPrefix.parse("::1").contains(ip("::1")));
    }

    @Test
    void familiesDoNotMixExceptForV4MappedSources() throws Exception {
        assertFalse(AddressPrefix.parse("::/0").contains(ip("192.0.2.1")));
        assertFalse(AddressPrefix.parse("192.0.2.0/24").contains(ip("2001:db8::1")));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[14] = 2;
        mapped[15] = 1;
        // Java hands a v4-mapped address out as IPv4 where it can; build the IPv6 form explicitly.
        InetAddress v6mapped = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(AddressPrefix.parse("192.0.2.0/24").contains(v6mapped));
    }

    /** The in-place comparison agrees with masking both addresses and comparing, for random prefixes. */
    @Test
    void agreesWithMaskAndCompare() throws Exception {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            int size = r.nextBoolean() ? 4 : 16;
            byte[] net = new byte[size];
            byte[] addr = new byte[size];
            r.nextBytes(net);
            r.nextBytes(addr);
            int len = r.nextInt(size * 8 + 1);
            // make a near miss or hit likely: copy the network's leading bits, then flip one maybe
            System.arraycopy(net, 0, addr, 0, Math.min(size, len / 8));
            if (r.nextBoolean() && len > 0) {
                int bit = r.nextInt(len);
                addr[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            }
            AddressPrefix p = AddressPrefix.parse(InetAddress.getByAddress(net).getHostAddress() + "/" + len);
            assertEquals(maskedEqual(net, addr, len), p.contains(InetAddress.getByAddress(addr)),
                    () -> p + " vs " + java.util.Arrays.toString(addr));
        }
    }

    private static boolean maskedEqual(byte[] a, byte[] b, int len) {
        for (int bit = 0; bit < len; bit++) {
            int m = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & m) != (b[bit / 8] & m)) return false;
        }
        return true;
    }

    @Test
    void zoneAllowsItsPrimariesOrItsAllowListOrLoopback() throws Exception {
        ZoneTimers timers = new ZoneTimers(java.time.Duration.ofMinutes(1), java.time.Duration.ofHours(1),
                java.time.Duration.ofSeconds(10), java.time.Duration.ofHours(1), java.time.Duration.ofHours(1),
                java.time.Duration.ofDays(1), java.time.Duration.ofDays(30), java.time.Duration.ofHours(1), 0, 3,
                java.time.Duration.ofMillis(100));
        ZoneSettings byPrimary = new ZoneSettings(Name.fromConstantString("a.test."), "s",
                List.of(new InetSocketAddress(ip("192.0.2.53"), 53)), List.of(), true, 53, timers,
                java.time.Duration.ofSeconds(1), 3, Map.of(), null, null);
        assertTrue(byPrimary.allows(ip("192.0.2.53")));
        assertFalse(byPrimary.allows(ip("192.0.2.54")));
        assertFalse(byPrimary.allows(ip("127.0.0.1")));
        ZoneSettings byList = new ZoneSettings(Name.fromConstantString("a.test."), "s",
                List.of(new InetSocketAddress(ip("192.0.2.53"), 53)), List.of(AddressPrefix.parse("2001:db8::/32")),
                true, 53, timers, java.time.Duration.ofSeconds(1), 3, Map.of(), null, null);
        assertTrue(byList.allows(ip("2001:db8::5")));
        assertFalse(byList.allows(ip("192.0.2.53")));
        ZoneSettings none = new ZoneSettings(Name.fromConstantString("a.test."), "s", List.of(), List.of(), true, 53,
                timers, java.time.Duration.ofSeconds(1), 3, Map.of(), null, null);
        assertTrue(none.allows(ip("127.0.0.9")));
        assertTrue(none.allows(ip("::1")));
        assertFalse(none.allows(ip("192.0.2.1")));
    }
}
