package net.dnsoops.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.freedesktop.dbus.exceptions.DBusException;
import org.junit.jupiter.api.Test;

class BusLinkTest {
    @Test
    void addressPrecedenceIsConfigThenEnvironmentThenSystemBus() {
        Map<String, String> env = Map.of(BusAddresses.ENV, "unix:path=/env");
        assertEquals("unix:path=/cfg", BusAddresses.resolve("unix:path=/cfg", env));
        assertEquals("unix:path=/env", BusAddresses.resolve(null, env));
        assertEquals("unix:path=/env", BusAddresses.resolve(" ", env));
        assertEquals(BusAddresses.SYSTEM_BUS, BusAddresses.resolve(null, Map.of()));
    }

    @Test
    void aPolicyRefusalIsToldApartFromAnUnreachableBus() {
        DBusException denied = new DBusException(new RuntimeException(
                "org.freedesktop.DBus.Error.AccessDenied: Connection \":1.3\" is not allowed to own the service"));
        assertTrue(BusLink.denied(denied));
        assertFalse(BusLink.denied(new DBusException("Failed to connect to bus: No such file or directory")));
    }

    @Test
    void wrapperMessagesAreSkipped() {
        RuntimeException cause = new RuntimeException("Connection is not allowed to own the service");
        assertEquals("Connection is not allowed to own the service", BusLink.rootMessage(new DBusException(cause)));
        assertEquals("outer says more", BusLink.rootMessage(new DBusException("outer says more", cause)));
    }
}
