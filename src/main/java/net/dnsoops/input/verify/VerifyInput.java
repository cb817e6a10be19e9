package net.dnsoops.input.verify;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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

    private final List<VerifyConfig> configs;
    private final Map<VerifyConfig, TSIG> keys;
    private final Clock clock;
    private final Map<Name, VerifyConfig> byZone = new HashMap<>();
    private ExecutorService workers;

    public VerifyInput(List<VerifyConfig> configs, Map<VerifyConfig, TSIG> keys, Clock clock) {
        this.configs = List.copyOf(configs);
        this.keys = Map.copyOf(keys);
        this.clock = clock;
        for (VerifyConfig c : configs) c.zones.forEach(z -> byZone.put(z, c));
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public void start(CoreSink core) {
        workers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "dns-oops-verify");
            t.setDaemon(true);
            return t;
        });
        for (VerifyConfig c : configs) {
            core.registerVerifier(java.util.Set.copyOf(c.zones), c.requireValid, req -> workers.execute(() -> verify(core, req)));
        }
    }

    @Override
    public void close() {
        if (workers != null) workers.shutdownNow();
    }

    private void verify(CoreSink core, VerifyRequest req) {
        VerifyConfig c = byZone.get(req.zone());
        if (c == null) return;
        InetSocketAddress from = c.address != null ? c.address : req.server();
        String why;
        if (from == null) {
            why = "no address to transfer from (set \"address\")";
        } else {
            try {
                ZoneTransferIn x = ZoneTransferIn.newAXFR(req.zone(), from, keys.get(c));
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
