package net.dnsoops.core;

/** The core's answer to "may this source notify this zone?", decided from config alone. */
public enum Admission {
    /** Configured and the source is allowed: answer NOERROR and check the zone. */
    ACCEPTED,
    /** The zone is not configured: answer NOTAUTH. */
    NOT_CONFIGURED,
    /** The zone is configured but the source is not allowed: answer REFUSED, query nothing. */
    REFUSED,
    /** The zone requires a TSIG key the NOTIFY was not (validly) signed with: NOTAUTH, query nothing. */
    WRONG_KEY
}
