package net.dnsoops.input.dnssec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.SignatureExpiry;
import net.dnsoops.core.Input;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * DNSSEC signature expiry (issue 10): every interval, asks the server for each zone's apex
 * RRsets (SOA, DNSKEY by default) with the DO bit, and optionally transfers the whole zone, then
 * reports the latest RRSIG expiration of each signed RRset to the core, which raises
 * dnssec-expiring / dnssec-expired. This checks expiry times only; it does not validate the
 * signatures cryptographically (see docs/dnssec.md).
 */
public final class DnssecInput implements Input {
    private static final Logger log = LoggerFactory.getLogger(DnssecInput.class);

    private final List<DnssecConfig> configs;
    private final Map<DnssecConfig, TSIG> keys;
    private ScheduledExecutorService timer;

    /** {@code keys}: the resolved TSIG key of each config that names one. */
    public DnssecInput(List<DnssecConfig> configs, Map<DnssecConfig, TSIG> keys) {
        this.configs = List.copyOf(configs);
        this.keys = Map.copyOf(keys);
    }

    @Override
    public String name() {
        return "dnssec";
    }

    @Override
    public void start(CoreSink core) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dns-oops-dnssec");
            t.setDaemon(true);
            return t;
        });
        for (DnssecConfig c : configs) {
            for (Name zone : c.zones) {
                timer.scheduleWithFixedDelay(() -> check(core, c, zone), 0, c.interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }

    private void check(CoreSink core, DnssecConfig c, Name zone) {
        try {
            List<SignatureExpiry> seen = c.axfr ? transfer(c, zone) : apex(c, zone);
            core.signatures(c.serverName(), zone, seen, c.warning);
        } catch (Exception e) {
            log.warn("dnssec check of {} at {} failed: {}", zone, c.serverName(), e.toString());
        }
    }

    private List<SignatureExpiry> apex(DnssecConfig c, Name zone) throws Exception {
        SimpleResolver r = new SimpleResolver(c.address);
        r.setTimeout(c.timeout);
        List<Record> all = new ArrayList<>();
        for (String t : c.types) {
            Message q = Message.newQuery(Record.newRecord(zone, Type.value(t), DClass.IN));
            q.addRecord(new OPTRecord(4096, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
            Message a = r.send(q);
            if (a.getRcode() != Rcode.NOERROR || !a.getHeader().getFlag(Flags.AA)) {
                throw new java.io.IOException(t + " query answered " + Rcode.string(a.getRcode())
                        + (a.getHeader().getFlag(Flags.AA) ? "" : " (not authoritative)"));
            }
            all.addAll(a.getSection(Section.ANSWER));
        }
        return latest(all);
    }

    private List<SignatureExpiry> transfer(DnssecConfig c, Name zone) throws Exception {
        ZoneTransferIn x = ZoneTransferIn.newAXFR(zone, c.address, keys.get(c));
        x.setTimeout(c.timeout);
        x.run();
        return latest(x.getAXFR());
    }

    /** The latest RRSIG expiration per (owner, covered type). */
    static List<SignatureExpiry> latest(List<Record> records) {
        Map<String, SignatureExpiry> by = new HashMap<>();
        for (Record rec : records) {
            if (!(rec instanceof RRSIGRecord sig)) continue;
            String type = Type.string(sig.getTypeCovered());
            String k = sig.getName() + " " + type;
            Instant exp = sig.getExpire();
            SignatureExpiry old = by.get(k);
            if (old == null || exp.isAfter(old.expiration())) by.put(k, new SignatureExpiry(sig.getName(), type, exp));
        }
        return List.copyOf(by.values());
    }
}
