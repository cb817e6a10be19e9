package net.dnsoops.core;

import java.time.Instant;
import org.xbill.DNS.Name;

/**
 * What a DNSSEC check saw for one signed RRset: the latest RRSIG expiration among its
 * signatures (the RRset validates until then).
 *
 * @param owner      the RRset's owner name
 * @param type       the RRset's type mnemonic, e.g. "SOA", "DNSKEY"
 * @param expiration the latest RRSIG expiration for that RRset
 */
public record SignatureExpiry(Name owner, String type, Instant expiration) {
}
