package net.dnsoops.input.verify;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.dnsoops.config.ConfigDiff;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Input;
import net.dnsoops.core.VerifyRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Zone verification (issue 10): when the core asks (a registered zone became ready or changed
 * serial), transfers the zone by AXFR (TSIG if configured), checks that the transfer has the
 * serial the core verified, its ZONEMD (RFC 8976) and its DNSSEC signatures, and reports
 * zone-valid / zone-invalid back to the core. Transfers run on two threads of its own, never on
 * the core's.
 */
public final class VerifyInput implements Input {
    private static final Logger log = LoggerFactory.getLogger(VerifyInput.class);

    private final Clock clock;
    /** Zone → how it is verified; replaced whole by a reload, read by the workers. */
    private volatile Map<Name, Entry> byZone;
    private ExecutorService workers;
    private CoreSink core;

    /** How one zone is verified: its "verify" entry and that entry's resolved TSIG key (or null). */
    private record Entry(VerifyConfig config, TSIG key) {
        /** The zone list only groups zones; a zone's settings are the rest. */
        boolean sameAs(Entry other) {
            return ConfigDiff.sameSettings(config, other.config, "zones");
        }
    }

    public VerifyInput(List<VerifyConfig> configs, Map<VerifyConfig, TSIG> keys, Clock clock) {
        this.clock = clock;
        this.byZone = entries(configs, keys);
    }

    private static Map<Name, Entry> entries(List<VerifyConfig> configs, Map<VerifyConfig, TSIG> keys) {
        Map<Name, Entry> out = new LinkedHashMap<>();
        for (VerifyConfig c : configs) c.zones.forEach(z -> out.put(z, new Entry(c, keys.get(c))));
        return out;
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public synchronized void start(CoreSink core) {
        this.core = core;
        workers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "dns-oops-verify");
            t.setDaemon(true);
            return t;
        });
        register(byZone);
    }

    /** Offers the zones to the core, one call per "verify" entry (its gate). */
    private void register(Map<Name, Entry> entries) {
        Map<VerifyConfig, Set<Name>> byConfig = new LinkedHashMap<>();
        entries.forEach((zone, e) -> byConfig.computeIfAbsent(e.config(), k -> new HashSet<>()).add(zone));
        byConfig.forEach((c, zones) -> core.registerVerifier(zones, c.requireValid,
                req -> workers.execute(() -> verify(core, req))));
    }

    /**
     * Applies a reloaded "verify" list, zone by zone. A zone whose settings stay keeps its
     * verdict and is not transferred again; a zone whose settings changed (e.g. "zonemd" now
     * required) is verified again under them, its verdict kept until the new one arrives; a
     * removed zone's zone-valid / zone-invalid is cleared and it no longer holds its service
     * back. Returns false once the list is empty.
     */
    public synchronized boolean reconfigure(List<VerifyConfig> next, Map<VerifyConfig, TSIG> nextKeys) {
        Map<Name, Entry> wanted = entries(next, nextKeys);
        ConfigDiff<Map.Entry<Name, Entry>> diff = ConfigDiff.of(List.copyOf(byZone.entrySet()),
                List.copyOf(wanted.entrySet()), e -> e.getKey().toString(), (a, b) -> a.getValue().sameAs(b.getValue()));
        byZone = wanted; // before the core hears of it: a request it sends now finds the new settings
        Set<Name> removed = new HashSet<>();
        diff.removed().forEach(e -> removed.add(e.getKey()));
        if (!removed.isEmpty()) core.verifyRemoved(removed);
        Map<Name, Entry> again = new LinkedHashMap<>();
        diff.added().forEach(e -> again.put(e.getKey(), e.getValue()));
        diff.changed().forEach(ch -> again.put(ch.after().getKey(), ch.after().getValue()));
        register(again);
        if (!diff.isEmpty()) {
            log.info("verify reloaded: {} zone(s) added, {} changed, {} removed", diff.added().size(),
                    diff.changed().size(), removed.size());
        }
        return !wanted.isEmpty();
    }

    @Override
    public synchronized void close() {
        if (workers != null) workers.shutdownNow();
    }

    private void verify(CoreSink core, VerifyRequest req) {
        Entry entry = byZone.get(req.zone());
        if (entry == null) return; // removed by a reload
        VerifyConfig c = entry.config();
        InetSocketAddress from = c.address != null ? c.address : req.server();
        String why;
        if (from == null) {
            why = "no address to transfer from (set \"address\")";
        } else {
            try {
                ZoneTransferIn x = ZoneTransferIn.newAXFR(req.zone(), from, entry.key());
                x.setTimeout(c.timeout);
                x.run();
                why = judge(c, req, new ArrayList<>(x.getAXFR()));
            } catch (Exception e) {
                why = "transfer from " + from.getAddress().getHostAddress() + "@" + from.getPort() + " failed: " + e;
            }
        }
        if (why == null) {
            log.info("zone {} serial {} verified", req.zone(), req.serial());
            core.verifyFinished(req.zone(), req.serial(), true, "verified");
        } else {
            log.warn("zone {} serial {} invalid: {}", req.zone(), req.serial(), why);
            core.verifyFinished(req.zone(), req.serial(), false, why);
        }
    }

    /** Why the transferred zone is invalid, or null. */
    String judge(VerifyConfig c, VerifyRequest req, List<Record> records) {
        // AXFR repeats the SOA at the end: keep one copy of each RR.
        List<Record> zone = new ArrayList<>(new java.util.LinkedHashSet<>(records));
        SOARecord soa = null;
        for (Record r : zone) {
            if (r.getType() == Type.SOA && r.getName().equals(req.zone())) soa = (SOARecord) r;
        }
        if (soa == null) return "the transfer has no SOA";
        if (soa.getSerial() != req.serial()) {
            return "transferred serial " + soa.getSerial() + " is not the verified serial " + req.serial();
        }
        if (!c.zonemd.equals("off")) {
            String md = ZoneDigest.check(req.zone(), zone, soa.getSerial());
            if (md != null && (!md.equals("none") || c.zonemd.equals("required"))) {
                return md.equals("none") ? "no usable ZONEMD (zonemd: required)" : md;
            }
        }
        if (c.dnssec) {
            String sig = ZoneSignatures.check(req.zone(), zone, clock.instant());
            if (sig != null) return sig;
        }
        return null;
    }
}
