package net.dnsoops.core;

/**
 * Operator commands that remote channels (the MQTT control topic, later others) may pass to the
 * daemon. The daemon provides the implementation; an actuator only calls it and reports the
 * result. Until drain is wired in (the BGP work adds the drain state and the {@code draining}
 * condition), {@link #UNAVAILABLE} answers every command with "not available".
 * Implementations must be thread-safe: they are called from client library threads.
 */
public interface Control {
    /** What became of a command: whether it was carried out, and a human-readable detail. */
    record Result(boolean accepted, String detail) {
        public static Result notAvailable(String what) {
            return new Result(false, what + " is not available in this dns-oops");
        }
    }

    /** Take this site out of service (withdraw routes), as a central operator asks. */
    Result drain(String origin);

    /** Put this site back into service. */
    Result undrain(String origin);

    /** No control wired: every command is refused with "not available". */
    Control UNAVAILABLE = new Control() {
        @Override
        public Result drain(String origin) {
            return Result.notAvailable("drain");
        }

        @Override
        public Result undrain(String origin) {
            return Result.notAvailable("undrain");
        }
    };
}
