package net.dnsoops.input.soa;

import java.io.IOException;
import net.dnsoops.core.CheckResult;
import org.xbill.DNS.Message;

/**
 * An answer to one of our SOA queries: either already judged by {@link SoaAnswerFastPath}
 * ({@code fast} set, parsed into a dnsjava Message only if someone asks, e.g. packet capture),
 * or parsed by dnsjava ({@code message} set) for {@link SoaAnswer#judge} to decide.
 */
record SoaReply(byte[] wire, Message message, CheckResult fast) {
    /** The answer as a dnsjava Message (parsed now if the fast path skipped that). */
    Message parsed() {
        if (message != null) return message;
        try {
            return new Message(wire);
        } catch (IOException e) {
            throw new IllegalStateException("the fast path accepted an answer dnsjava cannot parse", e);
        }
    }
}
