package net.dnsoops.input.verify;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import net.dnsoops.config.ConfigDiff;
import net.dnsoops.core.AddressText;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Input;
import net.dnsoops.core.VerifyRequest;
import net.dnsoops.ops.OpsContributor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * Zone verification (issue 10): when the core asks (a registered zone became ready or changed
 * serial), transfers the zone (IXFR from the kept copy of the last transfer, else AXFR; TSIG if
 * configured, see {@link ZoneFetch}), checks that the transfer has the serial the core verified,
 * its ZONEMD (RFC 8976), its DNSSEC signatures ({@link ZoneSignatures}), NSEC/NSEC3 chain
 * ({@link DenialChain}) and, with a trust anchor, the DS link ({@link ChainOfTrust}), and reports
 * zone-valid / zone-invalid back to the core. Transfers and DS queries run on two threads of its
 * own, never on the core's.
 */
public final class VerifyInput implements Input, OpsContributor {
    private static final Logger log = LoggerFactory.getLogger(VerifyInput.class);

    private final Clock clock;
    /** Zone → how it is verified; replaced whole by a reload, read by the workers. */
    private volatile Map<Name, Entry> byZone;
    private ExecutorService workers;
    private CoreSink core;
    private final KeptZones kept = new KeptZones();
    private final LongAdder ixfrs = new LongAdder();
    private final LongAdder axfrs = new LongAdder();
    /** Each zone's last verdict, for GET /status: the core emits zone-valid only when the verdict changes. */
    private final Map<Name, Verdict> lastVerdicts = new java.util.concurrent.ConcurrentHashMap<>();

    private record Verdict(long serial, boolean valid, String transfer, String detail) {
    }

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
     * verdict (and its kept copy for IXFR) and is not transferred again; a zone whose settings
     * changed (e.g. "zonemd" now required) is verified again under them, its verdict kept until
     * the new one arrives; a removed zone's zone-valid / zone-invalid is cleared, it no longer
     * holds its service back, and its kept copy is dropped. Returns false once the list is empty.
     */
    public synchronized boolean reconfigure(List<VerifyConfig> next, Map<VerifyConfig, TSIG> nextKeys) {
        Map<Name, Entry> wanted = entries(next, nextKeys);
        ConfigDiff<Map.Entry<Name, Entry>> diff = ConfigDiff.of(List.copyOf(byZone.entrySet()),
                List.copyOf(wanted.entrySet()), e -> e.getKey().toString(), (a, b) -> a.getValue().sameAs(b.getValue()));
        byZone = wanted; // before the core hears of it: a request it sends now finds the new settings
        Set<Name> removed = new HashSet<>();
        diff.removed().forEach(e -> removed.add(e.getKey()));
        for (Name z : removed) {
            kept.forget(z);
            lastVerdicts.remove(z);
        }
        if (!removed.isEmpty()) core.verifyRemoved(removed);
        Map<Name, Entry> again = new LinkedHashMap<>();
        diff.added().forEach(e -> again.put(e.getKey(), e.getValue()));
        diff.changed().forEach(ch -> {
            again.put(ch.after().getKey(), ch.after().getValue());
            if (!ch.after().getValue().config().ixfr) kept.forget(ch.after().getKey());
        });
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
        String transfer = "none";
        if (from == null) {
            why = "no address to transfer from (set \"address\")";
        } else {
            ZoneFetch.Fetched f = null;
            try {
                f = ZoneFetch.fetch(req.zone(), from, entry.key(), c.timeout, c.ixfr ? kept.get(req.zone()) : null);
                transfer = f.transfer();
                (f.ixfr() ? ixfrs : axfrs).increment();
                keep(c, req.zone(), f.records());
                why = null;
            } catch (Exception e) {
                why = "transfer from " + AddressText.of(from) + " failed: " + e;
            }
            if (f != null) {
                try {
                    why = judge(c, req, f.records(), anchors(c, req.zone()));
                } catch (java.io.IOException e) {
                    why = e.getMessage();
                }
            }
        }
        lastVerdicts.put(req.zone(), new Verdict(req.serial(), why == null, transfer, why == null ? "verified" : why));
        if (why == null) {
            log.info("zone {} serial {} verified; transfer: {}", req.zone(), req.serial(), transfer);
            core.verifyFinished(req.zone(), req.serial(), true, "verified; transfer: " + transfer);
        } else {
            log.warn("zone {} serial {} invalid: {}; transfer: {}", req.zone(), req.serial(), why, transfer);
            core.verifyFinished(req.zone(), req.serial(), false, why + "; transfer: " + transfer);
        }
    }

    /**
     * Keeps the transferred content for the next IXFR, whatever its verdict: it is what the
     * server has at that serial, and the next delta starts from there. A transfer without an
     * apex SOA cannot be the base of an IXFR.
     */
    private void keep(VerifyConfig c, Name zone, List<Record> records) {
        if (!c.ixfr) return;
        SOARecord soa = apexSoa(zone, records);
        if (soa == null) {
            kept.forget(zone);
        } else {
            kept.keep(zone, soa.getSerial(), records, c.ixfrMaxRecords);
        }
    }

    private static SOARecord apexSoa(Name zone, List<Record> records) {
        for (Record r : records) {
            if (r.getType() == Type.SOA && r.getName().equals(zone)) return (SOARecord) r;
        }
        return null;
    }

    @Override
    public Map<String, Object> statusDetails() {
        Map<String, Object> zones = new java.util.TreeMap<>();
        lastVerdicts.forEach((z, v) -> zones.put(z.toString(), Map.of("serial", v.serial(), "valid", v.valid(),
                "transfer", v.transfer(), "detail", v.detail())));
        return Map.of("zones", zones);
    }

    @Override
    public void metrics(Samples out) {
        out.counter("dns_oops_verify_transfers", "Zone transfers of the verify input by the kind that delivered the zone",
                ixfrs.sum(), "transfer", "ixfr");
        out.counter("dns_oops_verify_transfers", "Zone transfers of the verify input by the kind that delivered the zone",
                axfrs.sum(), "transfer", "axfr");
        out.gauge("dns_oops_verify_kept_zones", "Zones whose last content is kept for IXFR", kept.zoneCount());
        out.gauge("dns_oops_verify_kept_records", "Records kept for IXFR, over all zones", kept.recordCount());
    }

    /** The DS records the zone must match (trust-anchor), null without one; asks the parent if configured. */
    private static List<DSRecord> anchors(VerifyConfig c, Name zone) throws java.io.IOException {
        if (c.trustAnchor == null) return null;
        if (c.trustAnchor.parent == null) return c.trustAnchor.dsRecords();
        try {
            return ParentDs.query(zone, c.trustAnchor.parent, c.trustAnchor.timeout);
        } catch (java.io.IOException e) {
            InetSocketAddress p = c.trustAnchor.parent;
            throw new java.io.IOException("DS query for " + zone + " to the parent " + AddressText.of(p) + " failed: " + e.getMessage(), e);
        }
    }

    /** Why the transferred zone is invalid, or null; without a trust anchor. */
    String judge(VerifyConfig c, VerifyRequest req, List<Record> records) {
        return judge(c, req, records, null);
    }

    /** Why the transferred zone is invalid, or null. {@code anchors}: the DS records of the trust anchor, or null. */
    String judge(VerifyConfig c, VerifyRequest req, List<Record> records, List<DSRecord> anchors) {
        List<Record> zone = ZoneFetch.unique(records);
        SOARecord soa = apexSoa(req.zone(), zone);
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
            String denial = DenialChain.check(req.zone(), zone);
            if (denial != null) return denial;
            if (anchors != null) {
                String chain = ChainOfTrust.check(req.zone(), zone, anchors, clock.instant());
                if (chain != null) return chain;
            }
        }
        return null;
    }
}
