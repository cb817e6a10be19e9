package net.dnsoops.config;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The default "site": this machine's host name (short form), as webhook and MQTT report it. */
public final class SiteName {
    private SiteName() {
    }

    public static String local() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = Files.readString(Path.of("/etc/hostname")).trim();
            } catch (Exception e) {
                h = null;
            }
        }
        if (h == null || h.isBlank()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                h = "localhost";
            }
        }
        return h;
    }
}
