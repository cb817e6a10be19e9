package net.dnsoops.actuator.mqtt;

import java.util.Locale;

/** The topic tree: {@code <prefix>/<site>/status|control|zone/<zone>|service/<service>}. */
record MqttTopics(String prefix, String site) {
    String base() {
        return prefix + "/" + site;
    }

    /** Retained: the site's liveness ("up", "stopping", "down"); the last will goes here. */
    String status() {
        return base() + "/status";
    }

    String control() {
        return base() + "/control";
    }

    /** Command results (not retained). */
    String controlResult() {
        return base() + "/control/result";
    }

    /** Retained: a zone's current state. The zone without its trailing dot, lower case ("." for the root). */
    String zone(String zone) {
        String z = zone.toLowerCase(Locale.ROOT);
        if (z.length() > 1 && z.endsWith(".")) z = z.substring(0, z.length() - 1);
        return base() + "/zone/" + level(z);
    }

    String service(String service) {
        return base() + "/service/" + level(service);
    }

    /** One topic level: '/', '+', '#' and NUL would change the tree or are illegal; replace them. */
    static String level(String s) {
        return s.replaceAll("[/+#\\u0000]", "_");
    }
}
