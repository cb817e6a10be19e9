package net.dnsoops.capture;

import java.net.InetSocketAddress;
import org.xbill.DNS.Name;

/**
 * What the inputs tell the capture about their traffic: NOTIFYs received and answered (input/notify)
 * and SOA queries and answers (input/soa). Inputs call {@link #wants} first, which is one volatile
 * read and a set lookup, so a daemon where no zone asks for capture pays nothing more. The
 * methods only queue; they never block an input thread.
 */
public interface TrafficObserver {
    /** Whether any zone captures at all (one volatile read): inputs skip all capture work if not. */
    default boolean active() {
        return true;
    }

    /** Whether any capture (pcap or DSC) is on for this zone. */
    boolean wants(Name zone);

    /**
     * A NOTIFY for a configured zone and our answer.
     *
     * @param client the notifier (address and port)
     * @param server our listening address (may be a wildcard address)
     */
    void notifyExchange(Name zone, InetSocketAddress client, InetSocketAddress server, String transport, byte[] query,
                        byte[] answer, int rcode);

    /**
     * One SOA query to a primary and its answer ({@code answer} null on timeout or error; then
     * {@code failure} says why). {@code serial} is the answer's SOA serial, or -1.
     */
    void soaExchange(Name zone, InetSocketAddress server, byte[] query, byte[] answer, long serial, String failure);

    /** Observes nothing: the default wiring. */
    TrafficObserver NONE = new TrafficObserver() {
        @Override
        public boolean active() {
            return false;
        }

        @Override
        public boolean wants(Name zone) {
            return false;
        }

        @Override
        public void notifyExchange(Name zone, InetSocketAddress client, InetSocketAddress server, String transport,
                                   byte[] query, byte[] answer, int rcode) {
        }

        @Override
        public void soaExchange(Name zone, InetSocketAddress server, byte[] query, byte[] answer, long serial,
                                String failure) {
        }
    };
}
