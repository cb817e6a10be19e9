package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.dnsoops.testsupport.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StderrAppenderTest {
    /** stderr that counts how many writes reach it. */
    private static final class CountingErr extends PrintStream {
        final ByteArrayOutputStream bytes;
        int writes;

        CountingErr(ByteArrayOutputStream bytes) {
            super(bytes, true, StandardCharsets.UTF_8);
            this.bytes = bytes;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            super.write(b, off, len);
        }

        synchronized List<String> lines() {
            return bytes.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    private final CountingErr err = new CountingErr(new ByteArrayOutputStream());
    private final LoggerContext context = new LoggerContext();
    private final StderrAppender appender = new StderrAppender();
    private Logger logger;
    /** Set when the encoder has thrown on the worker thread. */
    private volatile boolean outOfMemory;

    @BeforeEach
    void setUp() {
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's own initialisation does
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%msg%n");
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>() {
            @Override
            public byte[] encode(ILoggingEvent e) {
                // what a heap at its limit does to the worker in the middle of a batch
                if (e.getFormattedMessage().equals("out of memory")) {
                    outOfMemory = true;
                    throw new OutOfMemoryError("test");
                }
                return super.encode(e);
            }
        };
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.target(() -> err); // not System.setErr: other logging of this JVM would land in it
        appender.start();
        logger = context.getLogger("test");
        logger.setAdditive(false);
        logger.addAppender(appender);
    }

    @AfterEach
    void tearDown() {
        appender.stop();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the failure this guards against is a hang
    void theWorkerOutlivesAnOutOfMemoryErrorAndSaysWhatWasLost() throws Exception {
        logger.info("out of memory");
        Eventually.await(Duration.ofSeconds(10), "the worker to fail on the first line", () -> outOfMemory);
        // Were the worker dead, these would fill the queue and the logging thread would wait for ever.
        int n = 70_000;
        for (int i = 0; i < n; i++) logger.info("line {}", i);
        Eventually.await(Duration.ofSeconds(10), n + 1 + " lines", () -> err.lines().size() >= n + 1);
        List<String> lines = err.lines();
        assertEquals("dns-oops: 1 log lines lost (OutOfMemoryError while writing them)", lines.get(0));
        assertEquals(n + 1, lines.size());
        assertEquals("line " + (n - 1), lines.get(n));
    }

    @Test
    void aBurstOfLinesArrivesCompleteInOrderInFarFewerWrites() throws Exception {
        int n = 20_000;
        for (int i = 0; i < n; i++) logger.info("line {}", i);
        Eventually.await(Duration.ofSeconds(10), n + " lines", () -> err.lines().size() >= n);
        List<String> lines = err.lines();
        assertEquals(n, lines.size());
        for (int i = 0; i < n; i++) assertEquals("line " + i, lines.get(i));
        // one write per line was the old way; here a write carries every line that gathered meanwhile
        assertTrue(err.writes <= n / 4, err.writes + " writes for " + n + " lines");
    }

    @Test
    void stopWritesWhatIsStillQueued() {
        for (int i = 0; i < 5_000; i++) logger.info("queued {}", i);
        appender.stop();
        List<String> lines = err.lines();
        assertEquals(5_000, lines.size());
        assertEquals("queued 4999", lines.get(4_999));
    }

    @Test
    void aLoneLineIsWrittenPromptly() throws Exception {
        logger.info("hello");
        Eventually.await(Duration.ofSeconds(2), "the line", () -> !err.lines().isEmpty());
        assertEquals(List.of("hello"), err.lines());
    }

    @Test
    void aLoggingThreadThatIsInterruptedStillGetsItsLineWrittenAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        logger.info("while interrupted");
        assertTrue(Thread.interrupted());
        appender.stop();
        assertEquals(List.of("while interrupted"), err.lines());
    }

    @Test
    void withTheTextLogLayoutABurstArrivesAsThePatternsLinesInOrderInFewWrites() throws Exception {
        LogLayout.Format before = LogLayout.current();
        LogLayout.use(LogLayout.Format.TEXT);
        CountingErr out = new CountingErr(new ByteArrayOutputStream());
        StderrAppender text = new StderrAppender();
        try {
            LogLayout layout = new LogLayout();
            layout.setContext(context);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setContext(context);
            encoder.setLayout(layout);
            encoder.start();
            text.setContext(context);
            text.setEncoder(encoder);
            text.target(() -> out);
            text.start();
            Logger conditions = context.getLogger("net.dnsoops.condition");
            conditions.setAdditive(false);
            conditions.addAppender(text);
            PatternLayout pattern = new PatternLayout();
            pattern.setContext(context);
            pattern.setPattern(LogLayout.TEXT_PATTERN);
            pattern.start();
            ch.qos.logback.core.read.ListAppender<ILoggingEvent> copy = new ch.qos.logback.core.read.ListAppender<>();
            copy.start();
            conditions.addAppender(copy);
            int n = 20_000;
            for (int i = 0; i < n; i++) conditions.info("zone-updated raised zone=z{}.bench. serial={}", i, 2026120200L + i);
            conditions.warn("and one with an exception", new IllegalStateException("broken"));
            text.stop(); // writes what is queued
            StringBuilder expected = new StringBuilder();
            for (ILoggingEvent e : copy.list) expected.append(pattern.doLayout(e));
            assertEquals(expected.toString(), out.bytes.toString(java.nio.charset.Charset.defaultCharset()));
            assertTrue(out.writes <= n / 4, out.writes + " writes for " + n + " lines");
        } finally {
            text.stop();
            LogLayout.use(before);
        }
    }
}
