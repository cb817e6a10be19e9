package net.dnsoops.actuator.dbus;

import java.util.List;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.core.ServiceSnapshot;
import net.dnsoops.core.StateView;
import net.dnsoops.core.ZoneSnapshot;
import org.freedesktop.dbus.types.UInt32;

/**
 * The exported {@code /net/dnsoops} object: answers state questions from the core's read-only
 * {@link StateView}. Runs on dbus-java's threads, never on the core's.
 */
final class NativeObject implements NativeBridge {
    private final StateView state;

    NativeObject(StateView state) {
        this.state = state;
    }

    @Override
    public String getObjectPath() {
        return PATH;
    }

    @Override
    public List<ZoneInfo> zones() {
        return state.zones().stream().map(NativeObject::info).toList();
    }

    @Override
    public ZoneInfo zone(String zone) {
        String wanted;
        try {
            wanted = ConfigValues.zoneName(zone).toString();
        } catch (IllegalArgumentException e) {
            throw new UnknownZone(e.getMessage());
        }
        return state.zones().stream().filter(z -> z.zone().equals(wanted)).findFirst().map(NativeObject::info)
                .orElseThrow(() -> new UnknownZone("zone " + wanted + " is not configured"));
    }

    @Override
    public List<ServiceInfo> services() {
        return state.services().stream().map(NativeObject::info).toList();
    }

    @Override
    public String getVersion() {
        String v = NativeObject.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public UInt32 getZoneCount() {
        return new UInt32(state.zones().size());
    }

    @Override
    public UInt32 getReadyZoneCount() {
        return new UInt32(state.services().stream().mapToLong(ServiceSnapshot::readyZones).sum());
    }

    @Override
    public boolean getReady() {
        List<ServiceSnapshot> s = state.services();
        return !s.isEmpty() && s.stream().allMatch(ServiceSnapshot::ready);
    }

    private static ZoneInfo info(ZoneSnapshot z) {
        return new ZoneInfo(z.zone(), z.service(), z.state().wireName(), z.serial(), z.lastSuccessMs(), z.lastCheckMs(),
                z.nextCheckMs(), z.expireAtMs(), z.consecutiveFailures(), z.lastFailure(), z.lastNotifier());
    }

    private static ServiceInfo info(ServiceSnapshot s) {
        return new ServiceInfo(s.service(), s.zones(), s.readyZones(), s.attemptedZones(), s.ready(), s.reason());
    }
}
