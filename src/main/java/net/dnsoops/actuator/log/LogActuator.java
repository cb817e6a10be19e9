package net.dnsoops.actuator.log;

import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.Health;
import net.dnsoops.ops.LogLayout;
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
        // This runs on the core thread once per condition (50,000+ a second when many zones
        // change), so nothing is built that the line will not show.
        if (!log.isInfoEnabled()) return;
        String line = c.toString(); // carries every field; a ready message, so slf4j expands no "{}"
        if (LogLayout.current() == LogLayout.Format.TEXT) {
            log.info(line);
            return;
        }
        // JSON lines get the fields as structured fields too (LogLayout writes an event's key-value pairs).
        var e = log.atInfo().addKeyValue("condition", c.type().wireName()).addKeyValue("state", c.state());
        if (c.zone() != null) e = e.addKeyValue("zone", c.zone());
        if (c.service() != null) e = e.addKeyValue("service", c.service());
        if (c.serial() >= 0) e = e.addKeyValue("serial", c.serial());
        if (c.oldSerial() >= 0) e = e.addKeyValue("old-serial", c.oldSerial());
        if (!c.source().isEmpty()) e = e.addKeyValue("source", c.source());
        e.log(line);
    }

    @Override
    public Health health() {
        return Health.ok("");
    }
}
