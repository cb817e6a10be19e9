package net.dnsoops.route;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dnsoops.core.AddressPrefix;
import net.dnsoops.core.AddressText;

/**
 * Service prefixes as written in the config: a literal ("192.0.2.53/32") or a template filled
 * from a zone's fields ("198.51.100.{last-octet}/32"). The result must be a canonical prefix
 * (no host bits set), so what is announced is exactly what the operator reads in the file.
 */
public final class PrefixTemplate {
    private static final Pattern VAR = Pattern.compile("\\{([A-Za-z0-9_.-]+)\\}");

    private PrefixTemplate() {
    }

    public static boolean isTemplate(String text) {
        return VAR.matcher(text).find();
    }

    /** Load-time check: a literal must be a canonical prefix; a template only well-formed. */
    public static void check(String text) {
        if (isTemplate(text)) {
            String stripped = VAR.matcher(text).replaceAll("");
            if (stripped.contains("{") || stripped.contains("}")) {
                throw new IllegalArgumentException("prefix template '" + text + "' has unbalanced braces");
            }
            return;
        }
        canonical(text);
    }

    /** Fills the placeholders; a placeholder without a value is an error naming it. */
    public static String expand(String template, Map<String, String> vars) {
        Matcher m = VAR.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) throw new IllegalArgumentException("no field \"" + m.group(1) + "\" for prefix '" + template + "'");
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return canonical(b.toString());
    }

    /**
     * The prefix in canonical text form ("2001:db8::53/128"), or an error if it is not a prefix or
     * has host bits set. A bare address is a host route (/32 or /128).
     */
    public static String canonical(String text) {
        String t = text.trim();
        AddressPrefix p = AddressPrefix.parse(t.contains("/") ? t : t + (t.contains(":") ? "/128" : "/32"));
        String addr = t.contains("/") ? t.substring(0, t.indexOf('/')) : t;
        java.net.InetAddress given = AddressPrefix.literal(addr);
        if (!p.contains(given) || !p.networkAddress().equals(given)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean "
                    + AddressText.of(p.networkAddress()) + "/" + p.length() + "?");
        }
        return AddressText.of(given) + "/" + p.length();
    }

    public static boolean isIpv6(String canonicalPrefix) {
        return canonicalPrefix.contains(":");
    }
}
