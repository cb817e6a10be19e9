package net.dnsoops.config;

/** A config file that cannot be used; the message names file, line, column and field. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
