package net.dnsoops.core;

import java.net.InetSocketAddress;
import org.xbill.DNS.Name;

/**
 * Verify {@code zone} at {@code serial}. {@code server}: the primary whose SOA answer verified
 * that serial (null if the serial came from elsewhere); the verifier may use its own address.
 */
public record VerifyRequest(Name zone, long serial, InetSocketAddress server) {
}
