package net.dnsoops.core;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands every condition to every actuator; one failing actuator never stops the others. */
public final class ConditionFanout implements ConditionSink {
    private static final Logger log = LoggerFactory.getLogger(ConditionFanout.class);
    private volatile List<Actuator> actuators;

    public ConditionFanout(List<Actuator> actuators) {
        this.actuators = List.copyOf(actuators);
    }

    public void replace(List<Actuator> next) {
        this.actuators = List.copyOf(next);
    }

    public List<Actuator> actuators() {
        return actuators;
    }

    @Override
    public void emit(Condition condition) {
        for (Actuator a : actuators) {
            try {
                a.apply(condition);
            } catch (RuntimeException e) {
                log.error("actuator {} failed on {}", a.name(), condition, e);
            }
        }
    }
}
