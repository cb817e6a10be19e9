package net.dnsoops.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

/**
 * The one text form of an address wherever dns-oops shows or passes one on (logs, hook arguments,
 * conditions, /status, the page, error messages): RFC 5952 for IPv6 ({@code ::1},
 * {@code 2001:db8::53}), dotted quad for IPv4, exactly as the config writes addresses.
 * {@link InetAddress#getHostAddress()} would give {@code 0:0:0:0:0:0:0:1%0} instead.
 */
public final class AddressText {
    private AddressText() {
    }

    /**
     * RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups
     * (the first of equal runs) written "::", IPv4-mapped addresses as {@code ::ffff:192.0.2.1}.
     * A zone is kept only when it names a real scope ({@code fe80::1%eth0}); the scope 0 that
     * Java attaches to every address received on an IPv6 socket is not one.
     */
    public static String of(InetAddress a) {
        if (a == null) return "";
        String text = io.netty.util.NetUtil.toAddressString(a, true);
        if (a instanceof Inet6Address v6) {
            NetworkInterface nif = v6.getScopedInterface();
            if (nif != null) return text + "%" + nif.getName();
            if (v6.getScopeId() != 0) return text + "%" + v6.getScopeId();
        }
        return text;
    }

    /** {@code addr@port}, the config's syntax for a socket address. */
    public static String of(InetSocketAddress a) {
        if (a == null) return "";
        if (a.getAddress() == null) return a.getHostString() + "@" + a.getPort();
        return of(a.getAddress()) + "@" + a.getPort();
    }
}
