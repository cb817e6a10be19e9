package net.dnsoops.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * Ask for one verification of a zone's SOA: query {@code targets} in order, each up to
 * {@code tries} times with {@code timeout}, and accept the first authoritative answer. With a
 * {@code key}, queries are TSIG-signed and only answers that verify count.
 */
public record CheckRequest(Name zone, List<InetSocketAddress> targets, Duration timeout, int tries, TSIG key) {
    public CheckRequest {
        targets = List.copyOf(targets);
    }
}
