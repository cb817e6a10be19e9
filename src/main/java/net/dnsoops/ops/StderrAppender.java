package net.dnsoops.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Writes log lines to stderr from its own thread, a batch of lines per system call. logback's
 * AsyncAppender in front of a ConsoleAppender made one write(2) per line and woke its worker for
 * nearly every line: at 50,000 zone updates per second (scripts/bench, verified) that worker took
 * 17-20 % of a core, most of it in the kernel, and the core thread paid for the wake-ups. Here
 * the logging thread only queues the event; the worker wakes, lets lines gather for
 * {@link #LINGER_NANOS}, then formats what has queued and writes it at once.
 *
 * <p>Nothing is dropped: a full queue makes the logging thread wait, and {@link #stop()} (called
 * by logback's shutdown hook) writes what is left. The one exception is a batch whose formatting
 * throws an Error (OutOfMemoryError): its lines are counted and the count is written instead. stderr is looked up per batch, so a
 * {@code System.setErr} is followed.
 */
public final class StderrAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** Lines waiting for the worker; a burst beyond this makes the logging thread wait. */
    private static final int QUEUE_SIZE = 65_536;
    /** At most this many lines per write (bounds the batch buffer). */
    private static final int BATCH = 4_096;
    /** How long lines may gather after the first: up to a millisecond later on stderr, one write. */
    private static final long LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(1_000);
    /** How long stop() waits for the worker to write what is queued. */
    private static final long STOP_WAIT_MS = 5_000;

    private final ArrayBlockingQueue<ILoggingEvent> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(1 << 16);
    /** A batch's text lines, when the layout can append them (see {@link #textLayout}). */
    private final StringBuilder text = new StringBuilder(1 << 16);
    /** Above this capacity the text buffer is trimmed after a batch. */
    private static final int TEXT_KEEP = 1 << 20;
    private Encoder<ILoggingEvent> encoder;
    private Thread worker;
    /** Where lines go: stderr, looked up per batch (tests give their own stream). */
    private Supplier<PrintStream> target = () -> System.err;
    /** Lines a failed batch took with it, reported with the next batch. */
    private final java.util.concurrent.atomic.AtomicLong lost = new java.util.concurrent.atomic.AtomicLong();
    /** What the last failed batch threw, named in that report. */
    private volatile String lostTo = "";

    /** For tests: lines go to {@code out} instead of stderr. */
    void target(Supplier<PrintStream> out) {
        this.target = out;
    }

    /** Set by logback.xml's {@code <encoder>}. */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for appender \"" + name + "\"");
            return;
        }
        super.start();
        worker = new Thread(this::work, "dns-oops-log");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    protected void append(ILoggingEvent e) {
        e.prepareForDeferredProcessing(); // message, MDC and thread name are taken now, not later
        boolean interrupted = false;
        while (true) {
            try {
                if (queue.offer(e, 1, TimeUnit.SECONDS)) break;
                if (!worker.isAlive()) { // gone (it should not be): write here rather than wait for ever
                    write(new ArrayList<>(List.of(e)));
                    break;
                }
            } catch (InterruptedException ie) {
                interrupted = true; // the line is still written; the interrupt is kept for the caller
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * The worker's loop. It must outlive anything a batch throws: were it to die, the queue would
     * fill and every thread that logs, the core's among them, would wait on it for ever. An
     * OutOfMemoryError while formatting costs that batch's lines, counted and reported in the
     * next batch that can be written.
     */
    private void work() {
        List<ILoggingEvent> lines = new ArrayList<>(BATCH);
        while (isStarted()) {
            try {
                ILoggingEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                lines.add(first);
                LockSupport.parkNanos(LINGER_NANOS);
                queue.drainTo(lines, BATCH - 1);
                write(lines);
            } catch (InterruptedException stopping) {
                break;
            } catch (Throwable lostBatch) { // OutOfMemoryError above all
                lostTo = lostBatch.getClass().getSimpleName();
                lost.addAndGet(lines.size());
                lines.clear();
            }
        }
    }

    /** Formats and writes {@code lines} with one write to stderr, then clears the list. */
    private synchronized void write(List<ILoggingEvent> lines) {
        batch.reset();
        text.setLength(0); // a batch that failed half way (OutOfMemoryError) leaves nothing behind
        long gone = lost.getAndSet(0);
        if (gone > 0) {
            batch.writeBytes(("dns-oops: " + gone + " log lines lost (" + lostTo + " while writing them)"
                    + System.lineSeparator()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        LogLayout textLayout = textLayout();
        for (ILoggingEvent e : lines) {
            try {
                if (textLayout == null) {
                    batch.writeBytes(encoder.encode(e));
                } else {
                    int mark = text.length();
                    try {
                        textLayout.appendText(text, e);
                    } catch (RuntimeException broken) {
                        text.setLength(mark); // no half line
                        throw broken;
                    }
                }
            } catch (RuntimeException broken) {
                addError("cannot format a log line", broken); // one bad event does not cost the batch
            }
        }
        lines.clear();
        if (textLayout != null) {
            // the charset LayoutWrappingEncoder would use: its own, else the platform's
            java.nio.charset.Charset cs = ((LayoutWrappingEncoder<ILoggingEvent>) encoder).getCharset();
            batch.writeBytes(text.toString().getBytes(cs == null ? java.nio.charset.Charset.defaultCharset() : cs));
            if (text.capacity() > TEXT_KEEP) { // a burst of long lines does not pin its buffer
                text.setLength(0);
                text.trimToSize();
            }
        }
        PrintStream err = target.get();
        try {
            batch.writeTo(err); // one write(2): PrintStream passes a buffer this size straight on
        } catch (java.io.IOException notFromAPrintStream) {
            // PrintStream reports errors through checkError(), and stderr has nowhere to report to
        }
        err.flush();
    }

    /**
     * The layout when lines are text from this project's LogLayout: then they are appended to one
     * buffer and turned into bytes once per batch, not once per line. Null for any other encoder.
     */
    private LogLayout textLayout() {
        return encoder instanceof LayoutWrappingEncoder<ILoggingEvent> w && w.getLayout() instanceof LogLayout l
                && LogLayout.current() == LogLayout.Format.TEXT ? l : null;
    }

    /** Writes every queued line, then stops (logback's shutdown hook calls this on exit). */
    @Override
    public void stop() {
        if (!isStarted()) return;
        super.stop();
        Thread w = worker;
        w.interrupt();
        try {
            w.join(STOP_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ILoggingEvent> rest = new ArrayList<>(BATCH);
        while (queue.drainTo(rest, BATCH) > 0) write(rest);
    }
}
