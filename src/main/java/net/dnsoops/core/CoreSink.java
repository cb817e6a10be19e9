package net.dnsoops.core;

import java.net.InetAddress;
import org.xbill.DNS.Name;

/** What inputs may tell the core. Every method is thread-safe and returns at once. */
public interface CoreSink {
    /**
     * Decides from the current config whether a NOTIFY is admitted; changes no state.
     * {@code verifiedKey}: the TSIG key the request was validly signed with, or null.
     */
    Admission admitNotify(Name zone, InetAddress source, Name verifiedKey);

    /** An admitted NOTIFY arrived: check the zone's SOA (coalesced with any check in flight). */
    void notifyReceived(Name zone, InetAddress source, String transport);

    /** A check requested through {@link CheckRequester} finished. */
    void checkFinished(CheckResult result);
}
