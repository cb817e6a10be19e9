package net.dnsoops.actuator.hook;

import java.util.List;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;

/**
 * The "ede-codes" option of hooks, the webhook and MQTT: restricts "ede" conditions to the listed
 * Extended DNS Error codes (RFC 8914), e.g. [18, 22]. Every other condition passes untouched, so
 * one hook can be "on" ede and zone-expired and still see every zone-expired.
 */
public final class EdeCodeFilter {
    private EdeCodeFilter() {
    }

    /** True unless {@code c} is an "ede" whose code is not in {@code codes}; an empty list lets every code through. */
    public static boolean admits(List<Integer> codes, Condition c) {
        if (codes.isEmpty() || c.type() != ConditionType.EDE) return true;
        String code = c.fields().get("code");
        if (code == null) return false;
        try {
            return codes.contains(Integer.parseInt(code));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Codes must be 0-65535 (EDE's INFO-CODE is 16 bits), and a list only makes sense where "ede"
     * can get through: {@code on} empty (everything) or naming "ede".
     */
    public static void validate(List<Integer> codes, List<HookTrigger> on) {
        if (codes.isEmpty()) return;
        for (Integer c : codes) {
            if (c == null || c < 0 || c > 65535) {
                throw new IllegalArgumentException("\"ede-codes\": " + c + " is not an EDE code (0-65535)");
            }
        }
        if (!on.isEmpty() && on.stream().noneMatch(t -> t.type() == ConditionType.EDE)) {
            throw new IllegalArgumentException("\"ede-codes\" is given but \"on\" does not include \"ede\"");
        }
    }
}
