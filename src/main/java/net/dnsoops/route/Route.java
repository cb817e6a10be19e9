package net.dnsoops.route;

/**
 * One route an actuator should have announced: a canonical prefix with the attributes of its
 * service's current state.
 */
public record Route(String prefix, String service, RouteAttributes attributes) {
    public boolean ipv6() {
        return PrefixTemplate.isIpv6(prefix);
    }
}
