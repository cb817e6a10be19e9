package net.dnsoops.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

/**
 * The separate TSIG key file: {"name": {"algorithm": ..., "secret": ...}}. Secrets must not be
 * readable by other users, so a file readable by group or others is refused.
 */
final class KeysFile {
    private KeysFile() {
    }

    private static final TypeReference<Map<String, TsigKeyConfig>> KEYS = new TypeReference<>() {
    };

    static Map<String, TsigKeyConfig> read(Path file) throws ConfigException {
        String text = "";
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new ConfigException(file + ": TSIG key file is readable by group or others; chmod 600 it"
                        + " (and chown it to the service user)");
            }
            text = Files.readString(file);
            Map<String, TsigKeyConfig> keys = ConfigLoader.mapper().readValue(text, KEYS);
            return keys == null ? Map.of() : keys;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file (keys-file)");
        } catch (JsonProcessingException e) {
            throw new ConfigException(JsonErrors.describe(e, file.toString(), text, KEYS.getType()), e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        } catch (UnsupportedOperationException e) {
            throw new ConfigException(file + ": cannot check permissions on this file system");
        }
    }
}
