package net.dnsoops.actuator.log;

import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes one log line per condition: the always-on actuator, and the first thing to read. */
public final class LogActuator implements Actuator {
    private static final Logger log = LoggerFactory.getLogger("net.dnsoops.condition");

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void apply(Condition c) {
        log.info("{}", c);
    }

    @Override
    public Health health() {
        return Health.ok("");
    }
}
