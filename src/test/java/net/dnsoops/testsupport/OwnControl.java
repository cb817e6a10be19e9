package net.dnsoops.testsupport;

import java.nio.file.Path;

/**
 * A daemon config of a test with the test's own control socket and drain file. Without them
 * every test daemon would use the system's /run/dns-oops/control.sock and the instance lock in
 * /var/lib/dns-oops, and a daemon refuses to start while another holds either.
 */
public final class OwnControl {
    private OwnControl() {
    }

    /** {@code json} (a whole config object) with "control-socket" and "drain-file" in {@code dir}, unless it names them. */
    public static String in(Path dir, String json) {
        StringBuilder add = new StringBuilder();
        if (!json.contains("\"control-socket\"")) {
            add.append("\"control-socket\": \"").append(dir.toAbsolutePath().resolve("control.sock")).append("\", ");
        }
        if (!json.contains("\"drain-file\"")) {
            add.append("\"drain-file\": \"").append(dir.toAbsolutePath().resolve("drained")).append("\", ");
        }
        int brace = json.indexOf('{');
        if (add.length() == 0 || brace < 0) return json;
        return json.substring(0, brace + 1) + " " + add + json.substring(brace + 1);
    }
}
