package net.dnsoops.core;

/**
 * The core asks for zone verification (transfer, ZONEMD, DNSSEC signatures) through this; the
 * verify input does the I/O and answers with {@link CoreSink#verifyFinished}. Asked when a
 * registered zone first becomes ready and whenever its verified serial changes.
 */
@FunctionalInterface
public interface VerifyRequester {
    void requestVerify(VerifyRequest request);
}
