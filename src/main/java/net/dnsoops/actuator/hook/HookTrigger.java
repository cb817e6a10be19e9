package net.dnsoops.actuator.hook;

import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;

/**
 * One entry of a hook's "on" list: a condition name, optionally with ":cleared" (fire when it
 * stops holding) or ":any" (both). A bare name fires when the condition is raised.
 */
public record HookTrigger(ConditionType type, Edge edge) {
    public enum Edge { RAISED, CLEARED, ANY }

    public static HookTrigger parse(String s) {
        String t = s.trim();
        int colon = t.indexOf(':');
        Edge edge = Edge.RAISED;
        if (colon >= 0) {
            String e = t.substring(colon + 1);
            edge = switch (e) {
                case "raised" -> Edge.RAISED;
                case "cleared" -> Edge.CLEARED;
                case "any" -> Edge.ANY;
                default -> throw new IllegalArgumentException("'" + s + "': after ':' expected raised, cleared or any");
            };
            t = t.substring(0, colon);
        }
        return new HookTrigger(ConditionType.fromName(t), edge);
    }

    public boolean matches(Condition c) {
        if (c.type() != type) return false;
        return edge == Edge.ANY || (edge == Edge.RAISED) == c.raised();
    }

    @Override
    public String toString() {
        return edge == Edge.RAISED ? type.wireName() : type.wireName() + ":" + edge.name().toLowerCase();
    }
}
