package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import net.dnsoops.config.ConfigValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Addresses are written as RFC 5952 recommends, the way operators and the config write them. */
class AddressTextTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // loopback and unspecified
            "0:0:0:0:0:0:0:1, ::1",
            "0:0:0:0:0:0:0:0, ::",
            // 4.2.1 leading zeros dropped; 4.3 lower case
            "2001:0DB8:0000:0000:0000:0000:0000:0053, 2001:db8::53",
            "2001:DB8:AB:CD:EF:0:0:1, 2001:db8:ab:cd:ef::1",
            // 4.2.2 a single zero group is not compressed
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            // 4.2.3 the longest run is compressed
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            // 4.2.3 of equal runs, the first one
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            // runs at either end
            "0:0:0:0:0:0:0:2001, ::2001",
            "2001:db8:0:0:0:0:0:0, 2001:db8::",
            "fe80:0:0:0:0:0:0:1, fe80::1",
            // IPv4 stays a dotted quad
            "192.0.2.53, 192.0.2.53",
    })
    void rfc5952(String in, String expected) throws Exception {
        assertEquals(expected, AddressText.of(InetAddress.getByName(in)));
    }

    @Test
    void ipv4MappedKeepsItsDottedQuad() throws Exception {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        b[12] = (byte) 192;
        b[14] = 2;
        b[15] = 1;
        // Inet6Address.getByAddress keeps the mapped form (InetAddress.getByName would turn it into IPv4).
        assertEquals("::ffff:192.0.2.1", AddressText.of(Inet6Address.getByAddress(null, b, null)));
    }

    @Test
    void scopeZeroOfAReceivedSourceIsDroppedARealScopeIsKept() throws Exception {
        byte[] loop = InetAddress.getByName("::1").getAddress();
        assertEquals("::1", AddressText.of(Inet6Address.getByAddress(null, loop, 0)));
        byte[] ll = InetAddress.getByName("fe80::1").getAddress();
        assertEquals("fe80::1%3", AddressText.of(Inet6Address.getByAddress(null, ll, 3)));
    }

    @Test
    void socketAddressesUseTheConfigSyntax() throws Exception {
        assertEquals("::1@53530", AddressText.of(new InetSocketAddress(InetAddress.getByName("0:0:0:0:0:0:0:1"), 53530)));
        assertEquals("192.0.2.1@53", AddressText.of(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 53)));
        assertEquals("2001:db8::53@5353", ConfigValues.format(ConfigValues.addressAndPort("2001:DB8:0::53@5353", 53)));
        assertEquals("", AddressText.of((InetAddress) null));
    }
}
