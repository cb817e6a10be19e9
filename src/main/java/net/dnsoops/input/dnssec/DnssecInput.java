package net.dnsoops.input.dnssec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.dnsoops.config.ConfigDiff;
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

    private List<DnssecConfig> configs;
    private Map<DnssecConfig, TSIG> keys;
    /** "server zone" → its scheduled check; guarded by {@code this}. */
    private final Map<String, Check> checks = new LinkedHashMap<>();
    private ScheduledExecutorService timer;
    private CoreSink core;

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
    public synchronized void start(CoreSink core) {
        this.core = core;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dns-oops-dnssec");
            t.setDaemon(true);
            return t;
        });
        for (Check c : checksOf(configs, keys)) add(c);
    }

    /**
     * Applies a reloaded "dnssec" list, zone by zone at each server. A check whose settings stay
     * keeps its schedule; a changed one (e.g. another "warning") runs at once with the new
     * settings, so the conditions follow it without waiting an interval; a removed one stops and
     * the core clears what its signatures held. Returns false once the list is empty.
     */
    public synchronized boolean reconfigure(List<DnssecConfig> next, Map<DnssecConfig, TSIG> nextKeys) {
        List<Check> wanted = checksOf(next, nextKeys);
        ConfigDiff<Check> diff = ConfigDiff.of(List.copyOf(checks.values()), wanted, Check::key, Check::sameAs);
        for (Check gone : diff.removed()) {
            checks.remove(gone.key()).retire();
            core.dnssecRemoved(gone.config.serverName(), gone.zone);
            log.info("dnssec check of {} at {} removed", gone.zone, gone.config.serverName());
        }
        for (ConfigDiff.Changed<Check> ch : diff.changed()) {
            checks.remove(ch.before().key()).retire();
            add(ch.after());
            log.info("dnssec check of {} at {} changed", ch.after().zone, ch.after().config.serverName());
        }
        Map<String, Check> byKey = new HashMap<>();
        for (Check c : wanted) byKey.put(c.key(), c);
        for (Check c : diff.unchanged()) c.tsig = byKey.get(c.key()).tsig; // a key's secret may change alone
        for (Check c : diff.added()) {
            add(c);
            log.info("dnssec check of {} at {} added", c.zone, c.config.serverName());
        }
        configs = List.copyOf(next);
        keys = Map.copyOf(nextKeys);
        return !configs.isEmpty();
    }

    private static List<Check> checksOf(List<DnssecConfig> configs, Map<DnssecConfig, TSIG> keys) {
        List<Check> out = new ArrayList<>();
        for (DnssecConfig c : configs) {
            for (Name zone : c.zones) out.add(new Check(c, zone, keys.get(c)));
        }
        return out;
    }

    /** The running check of a zone at a server ("server zone."), or null (for tests). */
    synchronized Check check(String key) {
        return checks.get(key);
    }

    private void add(Check c) {
        c.schedule = timer.scheduleWithFixedDelay(() -> check(c), 0, c.config.interval.toMillis(), TimeUnit.MILLISECONDS);
        checks.put(c.key(), c);
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }

    /** One zone at one server. */
    static final class Check {
        final DnssecConfig config;
        final Name zone;
        volatile TSIG tsig;
        ScheduledFuture<?> schedule;
        private boolean retired;

        Check(DnssecConfig config, Name zone, TSIG tsig) {
            this.config = config;
            this.zone = zone;
            this.tsig = tsig;
        }

        String key() {
            return config.serverName() + " " + zone;
        }

        /** The same settings; the config's zone list only groups checks, so it is no setting of this one. */
        boolean sameAs(Check other) {
            return zone.equals(other.zone) && ConfigDiff.sameSettings(config, other.config, "zones");
        }

        synchronized void retire() {
            retired = true;
            schedule.cancel(false);
        }
    }

    private void check(Check chk) {
        DnssecConfig c = chk.config;
        Name zone = chk.zone;
        try {
            List<SignatureExpiry> seen = c.axfr ? transfer(c, zone, chk.tsig) : apex(c, zone);
            synchronized (chk) {
                // A check a reload removed or replaced while it ran reports nothing.
                if (!chk.retired) core.signatures(c.serverName(), zone, seen, c.warning);
            }
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

    private List<SignatureExpiry> transfer(DnssecConfig c, Name zone, TSIG key) throws Exception {
        ZoneTransferIn x = ZoneTransferIn.newAXFR(zone, c.address, key);
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
