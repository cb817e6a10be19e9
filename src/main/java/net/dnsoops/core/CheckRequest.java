package net.dnsoops.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * Ask for one verification of a zone's SOA: query {@code targets} in order, each up to
 * {@code tries} times with {@code timeout}, and accept the first authoritative answer.
 */
public record CheckRequest(Name zone, List<InetSocketAddress> targets, Duration timeout, int tries) {
    public CheckRequest {
        targets = List.copyOf(targets);
    }
}
