package net.dnsoops.config;

/**
 * A config section that checks itself after parsing. An IllegalArgumentException from
 * {@link #validate()} is reported at the section's line and path in the file.
 */
public interface Validated {
    void validate();
}
