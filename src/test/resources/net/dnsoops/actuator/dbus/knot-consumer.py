#!/usr/bin/python3
# A D-Bus consumer written the way Knot DNS users write them (python3-dbus + GLib main loop):
# subscribe to zone_updated, started and stopped from cz.nic.knotd on the system bus
# (DBUS_SYSTEM_BUS_ADDRESS picks a private one). Prints one flushed line per signal.
import sys
import dbus
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()

def zone_updated(zone, serial):
    print("zone_updated %s %d" % (zone, serial), flush=True)

def started():
    print("started", flush=True)

def stopped():
    print("stopped", flush=True)

for name, handler in (("zone_updated", zone_updated), ("started", started), ("stopped", stopped)):
    bus.add_signal_receiver(handler, signal_name=name, dbus_interface="cz.nic.knotd.events",
                            bus_name="cz.nic.knotd", path="/cz/nic/knotd")
print("subscribed", flush=True)
GLib.MainLoop().run()
