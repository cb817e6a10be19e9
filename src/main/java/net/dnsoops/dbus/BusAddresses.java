package net.dnsoops.dbus;

import java.util.Map;

/**
 * Which bus dns-oops talks to: the config's "address" if set, else {@code DBUS_SYSTEM_BUS_ADDRESS}
 * (as every D-Bus client honours it), else the system bus's well-known socket.
 */
public final class BusAddresses {
    public static final String SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket";
    public static final String ENV = "DBUS_SYSTEM_BUS_ADDRESS";

    private BusAddresses() {
    }

    public static String resolve(String configured) {
        return resolve(configured, System.getenv());
    }

    static String resolve(String configured, Map<String, String> env) {
        if (configured != null && !configured.isBlank()) return configured;
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv;
        return SYSTEM_BUS;
    }
}
