package net.dnsoops.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DrainCommandTest {
    @Test
    void waitsUntilEveryRouteActuatorReportsNothingAnnounced() {
        assertTrue(DrainCommand.allWithdrawn("ok drained; log: OK; bird: OK 0 prefixes announced (drained)"));
        assertTrue(DrainCommand.allWithdrawn("ok drained; log: OK; hooks: OK 3 runs"), "no route actuator: nothing to wait for");
        assertFalse(DrainCommand.allWithdrawn("ok drained; bird: OK 2 prefixes announced; exabgp: OK 0 prefixes announced"));
        assertFalse(DrainCommand.allWithdrawn("ok drained; bird: DEGRADED cannot converge: socket gone"));
        assertFalse(DrainCommand.allWithdrawn("ok not drained; bird: OK 0 prefixes announced"));
    }
}
