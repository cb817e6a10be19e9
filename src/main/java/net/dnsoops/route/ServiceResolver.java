package net.dnsoops.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.ZoneSettings;
import org.xbill.DNS.Name;

/** Turns the "services" section into {@link ServiceSettings} against the configured zones. */
public final class ServiceResolver {
    private ServiceResolver() {
    }

    /**
     * Resolves every service. Errors (unknown zone, empty group, a template field a zone lacks, a
     * prefix claimed by two services) are IllegalArgumentExceptions naming the service.
     */
    public static List<ServiceSettings> resolve(Map<String, ServiceConfig> services, List<ZoneSettings> zones) {
        Map<Name, ZoneSettings> byName = new LinkedHashMap<>();
        for (ZoneSettings z : zones) byName.put(z.name(), z);
        Map<String, String> owner = new HashMap<>();
        List<ServiceSettings> out = new ArrayList<>();
        services.forEach((name, c) -> {
            String where = "services.\"" + name + "\": ";
            Set<ZoneSettings> members = new LinkedHashSet<>();
            for (Name n : c.zones) {
                ZoneSettings z = byName.get(n);
                if (z == null) throw new IllegalArgumentException(where + "zone " + n + " is not in \"zones\"");
                members.add(z);
            }
            if (c.group != null) {
                List<ZoneSettings> inGroup = byName.values().stream().filter(z -> z.service().equals(c.group)).toList();
                if (inGroup.isEmpty()) throw new IllegalArgumentException(where + "no zone has group \"" + c.group + "\"");
                members.addAll(inGroup);
            }
            // A group names a service: zones whose group is this entry's name belong to it too, so
            // the core, the conditions and the routes count the same zones under one name.
            byName.values().stream().filter(z -> z.service().equals(name)).forEach(members::add);
            if (members.isEmpty()) {
                throw new IllegalArgumentException(where + "no zones: list \"zones\", name a \"group\", or give zones"
                        + " \"group\": \"" + name + "\"");
            }
            Set<String> prefixes = new LinkedHashSet<>();
            for (String t : c.prefixes) {
                try {
                    if (!PrefixTemplate.isTemplate(t)) {
                        prefixes.add(PrefixTemplate.canonical(t));
                        continue;
                    }
                    for (ZoneSettings z : members) prefixes.add(PrefixTemplate.expand(t, variables(name, z)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + e.getMessage());
                }
            }
            for (String p : prefixes) {
                String other = owner.putIfAbsent(p, name);
                if (other != null) {
                    throw new IllegalArgumentException(where + "prefix " + p + " is also announced by service \""
                            + other + "\"");
                }
            }
            Set<String> zoneNames = new LinkedHashSet<>();
            members.forEach(z -> zoneNames.add(z.zoneText()));
            out.add(new ServiceSettings(name, zoneNames, List.copyOf(prefixes), c.rise, c.fall, c.interval, c.hold,
                    c.whenDegraded, c.up, c.degraded != null ? c.degraded : c.up, c.addedWhile(),
                    Set.copyOf(c.queryRateServers)));
        });
        return out;
    }

    /**
     * Every service's query-rate mapping against the "stats" section: {@code raisable} maps each
     * stats server's name to the conditions it can raise (its thresholds that are set). A named
     * server must exist, and every mapped condition must be raisable by a server the service
     * follows; otherwise its attributes could never apply, which is a config error.
     */
    public static void checkQueryRateServers(Map<String, ServiceConfig> services,
                                             Map<String, Set<ConditionType>> raisable) {
        services.forEach((name, c) -> {
            String where = "services.\"" + name + "\": ";
            for (String s : c.queryRateServers) {
                if (!raisable.containsKey(s)) {
                    throw new IllegalArgumentException(where + "\"query-rate-servers\": no \"stats\" entry is named \""
                            + s + "\"" + (raisable.isEmpty() ? " (\"stats\" is empty)" : "; known: "
                            + String.join(", ", new TreeSet<>(raisable.keySet()))));
                }
            }
            for (ConditionType t : c.addedWhile().keySet()) {
                boolean some = raisable.entrySet().stream()
                        .filter(e -> c.queryRateServers.isEmpty() || c.queryRateServers.contains(e.getKey()))
                        .anyMatch(e -> e.getValue().contains(t));
                if (!some) {
                    String threshold = t == ConditionType.QUERY_RATE_HIGH ? "rate-high" : "rate-rising";
                    throw new IllegalArgumentException(where + "\"" + t.wireName() + "\" is never raised: no \"stats\" entry"
                            + (c.queryRateServers.isEmpty() ? "" : " of \"query-rate-servers\"") + " sets \"" + threshold + "\"");
                }
            }
        });
    }

    /** What a prefix template may use: the zone's fields, plus {zone}, {zone-nodot} and {service}. */
    static Map<String, String> variables(String service, ZoneSettings z) {
        Map<String, String> v = new HashMap<>(z.fields());
        v.put("zone", z.zoneText());
        v.put("zone-nodot", z.zoneText().replaceAll("\\.$", ""));
        v.put("service", service);
        return v;
    }
}
