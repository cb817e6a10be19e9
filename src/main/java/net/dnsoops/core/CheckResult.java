package net.dnsoops.core;

import java.net.InetSocketAddress;
import org.xbill.DNS.Name;

/**
 * Outcome of one SOA check. On success the SOA's serial and timers (seconds) are reported with
 * the server that answered; on failure, why the last target failed.
 */
public record CheckResult(Name zone, boolean success, long serial, long refresh, long retry, long expire,
                          InetSocketAddress server, String failure) {

    public static CheckResult success(Name zone, long serial, long refresh, long retry, long expire,
                                      InetSocketAddress server) {
        return new CheckResult(zone, true, serial, refresh, retry, expire, server, "");
    }

    public static CheckResult failure(Name zone, String why) {
        return new CheckResult(zone, false, -1, 0, 0, 0, null, why);
    }
}
