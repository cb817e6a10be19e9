package net.dnsoops.core;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 prefix such as {@code 192.0.2.0/24} or {@code ::1}; a bare address is a host prefix. */
public final class AddressPrefix {
    private final byte[] network;
    private final int bits;
    private final String text;

    private AddressPrefix(byte[] network, int bits, String text) {
        this.network = network;
        this.bits = bits;
        this.text = text;
    }

    public static AddressPrefix of(InetAddress address) {
        byte[] b = address.getAddress();
        return new AddressPrefix(b, b.length * 8, AddressText.of(address));
    }

    /** Parses "addr" or "addr/len"; only literal addresses, never a host name lookup. */
    public static AddressPrefix parse(String s) {
        String t = s.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        InetAddress a = literal(addr);
        byte[] b = a.getAddress();
        int max = b.length * 8;
        int len = max;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + s + "'");
            }
            if (len < 0 || len > max) {
                throw new IllegalArgumentException("prefix length " + len + " out of range 0-" + max + " in '" + s + "'");
            }
        }
        mask(b, len);
        return new AddressPrefix(b, len, t);
    }

    /** Parses an IP literal without DNS; rejects names. */
    public static InetAddress literal(String addr) {
        String a = addr.startsWith("[") && addr.endsWith("]") ? addr.substring(1, addr.length() - 1) : addr;
        boolean looksV4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean looksV6 = a.contains(":") && a.matches("[0-9A-Fa-f:.]+");
        if (!looksV4 && !looksV6) {
            throw new IllegalArgumentException("'" + addr + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + addr + "' is not an IP address");
        }
    }

    private static void mask(byte[] b, int len) {
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, len - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
    }

    /** Called for every NOTIFY received: compares in place, without copying or masking a copy. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        int offset = 0;
        if (a.length != network.length) {
            // An IPv4-mapped IPv6 source (dual-stack socket) still matches an IPv4 prefix.
            if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
                offset = 12;
            } else {
                return false;
            }
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[offset + i] != network[i]) return false;
        }
        int rest = bits % 8;
        if (rest == 0) return true;
        int m = 0xff << (8 - rest);
        return ((a[offset + full] ^ network[full]) & m) == 0;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** The network address (host bits cleared). */
    public InetAddress networkAddress() {
        try {
            return InetAddress.getByAddress(network.clone());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
        }
    }

    /** The prefix length in bits. */
    public int length() {
        return bits;
    }

    @Override
    public String toString() {
        return text;
    }
}
