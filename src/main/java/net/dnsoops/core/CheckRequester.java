package net.dnsoops.core;

/**
 * The core asks for SOA checks through this; the SOA poller input does the I/O and answers
 * with {@link CoreSink#checkFinished}. The core keeps at most one request per zone outstanding.
 */
@FunctionalInterface
public interface CheckRequester {
    void requestCheck(CheckRequest request);
}
