package net.dnsoops.testsupport.dbus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Renders the D-Bus test templates in test-zones/dbus/. */
public final class Fixtures {
    public static final Path TEMPLATES = Path.of("test-zones", "dbus").toAbsolutePath();

    private Fixtures() {
    }

    /** Copies a template, replacing each {@code @KEY@}. */
    public static Path render(String template, Path to, Map<String, String> values) {
        try {
            String s = Files.readString(TEMPLATES.resolve(template));
            for (Map.Entry<String, String> e : values.entrySet()) s = s.replace("@" + e.getKey() + "@", e.getValue());
            Files.writeString(to, s);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
