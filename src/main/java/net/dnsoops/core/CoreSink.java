package net.dnsoops.core;

import java.net.InetAddress;
import org.xbill.DNS.Name;

/** What inputs may tell the core. Every method is thread-safe and returns at once. */
public interface CoreSink {
    /** Decides from the current config whether a NOTIFY is admitted; changes no state. */
    Admission admitNotify(Name zone, InetAddress source);

    /** An admitted NOTIFY arrived: check the zone's SOA (coalesced with any check in flight). */
    void notifyReceived(Name zone, InetAddress source, String transport);

    /** A check requested through {@link CheckRequester} finished. */
    void checkFinished(CheckResult result);
}
