package net.dnsoops.actuator.hook;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dnsoops.core.Condition;

/**
 * Fills argv templates like {@code ["announce", "{zone}", "{serial}"]} from a condition. Each
 * argument is expanded on its own and never passed through a shell, so a value cannot inject
 * words or commands. Unknown variables expand to "".
 */
public final class CommandTemplate {
    private static final Pattern VAR = Pattern.compile("\\{([A-Za-z0-9_.-]+)\\}");

    /** The built-in variables; zone fields from the config come on top. */
    public static final List<String> BUILT_IN = List.of("condition", "state", "zone", "zone-nodot", "serial",
            "old-serial", "source", "service", "time", "detail");

    private CommandTemplate() {
    }

    /** Every variable a condition offers, built-ins first, then the zone's config fields. */
    public static Map<String, String> variables(Condition c) {
        Map<String, String> v = new LinkedHashMap<>();
        v.putAll(c.fields());
        v.put("condition", c.type().wireName());
        v.put("state", c.state());
        v.put("zone", c.zone() == null ? "" : c.zone());
        v.put("zone-nodot", c.zone() == null ? "" : stripDot(c.zone()));
        v.put("serial", c.serial() < 0 ? "" : Long.toString(c.serial()));
        v.put("old-serial", c.oldSerial() < 0 ? "" : Long.toString(c.oldSerial()));
        v.put("source", c.source());
        v.put("service", c.service() == null ? "" : c.service());
        v.put("time", DateTimeFormatter.ISO_INSTANT.format(c.time()));
        v.put("detail", c.detail());
        return v;
    }

    public static List<String> expand(List<String> template, Map<String, String> vars) {
        List<String> out = new ArrayList<>(template.size());
        for (String arg : template) {
            Matcher m = VAR.matcher(arg);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), "")));
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }

    /** The same values as environment variables: DNS_OOPS_ZONE, DNS_OOPS_LAST_OCTET, ... */
    public static Map<String, String> environment(Map<String, String> vars) {
        Map<String, String> env = new LinkedHashMap<>();
        vars.forEach((k, v) -> env.put("DNS_OOPS_" + k.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), v));
        return env;
    }

    /** Variable names used by a template, for warnings about typos at load time. */
    public static List<String> referenced(List<String> template) {
        List<String> names = new ArrayList<>();
        for (String arg : template) {
            Matcher m = VAR.matcher(arg);
            while (m.find()) names.add(m.group(1));
        }
        return names;
    }

    private static String stripDot(String zone) {
        return zone.length() > 1 && zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone;
    }
}
