package net.dnsoops.input.probe;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * The one method of systemd's manager ({@code org.freedesktop.systemd1} at
 * {@code /org/freedesktop/systemd1}) the probe calls. LoadUnit, not GetUnit: GetUnit fails for a
 * stopped unit that systemd has unloaded, LoadUnit answers its path either way. Debian's bus
 * policy for systemd allows both, and Properties.Get, to every user.
 */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
public interface SystemdManager extends DBusInterface {
    String BUS_NAME = "org.freedesktop.systemd1";
    String PATH = "/org/freedesktop/systemd1";
    String UNIT_INTERFACE = "org.freedesktop.systemd1.Unit";

    @DBusMemberName("LoadUnit")
    DBusPath loadUnit(String name);
}
