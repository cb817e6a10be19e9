package net.dnsoops.capture;

import java.time.Duration;
import net.dnsoops.config.Validated;

/**
 * The config's "capture" section: where and how the per-zone {@code generate-pcap} and
 * {@code generate-dsc} flags write. Defaults are the field initialisers; see docs/capture.md.
 */
public final class CaptureConfig implements Validated {
    /** Files go to {@code <directory>/<zone>/}: pcap files, and DSC XML under {@code dsc/}. */
    public String directory = "/var/lib/dns-oops/capture";
    /** Start a new pcap file when the current one reaches this many bytes. */
    public long pcapMaxSize = 10_000_000;
    /** ... or when it is this old. */
    public Duration pcapRotateInterval = Duration.ofHours(1);
    /** Rotated pcap files kept per zone (the oldest are deleted). */
    public int pcapKeep = 10;
    /** Length of one DSC dataset (DSC itself uses 60 s). */
    public Duration dscInterval = Duration.ofSeconds(60);
    /** Captured exchanges waiting for the writer thread; beyond it they are dropped and counted. */
    public int queueSize = 10000;

    @Override
    public void validate() {
        if (directory == null || directory.isBlank()) throw new IllegalArgumentException("\"directory\" must not be empty");
        if (pcapMaxSize < 1024) throw new IllegalArgumentException("\"pcap-max-size\" must be at least 1024");
        if (pcapRotateInterval.toSeconds() < 1) throw new IllegalArgumentException("\"pcap-rotate-interval\" must be at least 1s");
        if (pcapKeep < 1) throw new IllegalArgumentException("\"pcap-keep\" must be at least 1");
        if (dscInterval.toSeconds() < 1) throw new IllegalArgumentException("\"dsc-interval\" must be at least 1s");
        if (queueSize < 1) throw new IllegalArgumentException("\"queue-size\" must be at least 1");
    }
}
