package net.dnsoops.actuator.exabgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.dnsoops.route.Route;
import net.dnsoops.route.RouteAttributes;
import net.dnsoops.testsupport.DocsQueryRateExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ExabgpActuatorTest {
    @Test
    void theQueryRateExampleInTheDocsSendsWhatTheDocsSay() throws Exception {
        String page = java.nio.file.Files.readString(Path.of("docs/exabgp.md"));
        String section = page.substring(page.indexOf("## Example: less attractive while"));
        DocsQueryRateExample example = DocsQueryRateExample.of(section);
        String line = new ExabgpCommands(example.config().exabgp).announce(example.busyRoute());
        assertTrue(section.contains("`" + line + "`"), line);
    }

    @Test
    void commandLines() {
        ExabgpConfig c = new ExabgpConfig();
        c.nextHopV6 = "2001:db8::2";
        c.localAs = 65002L;
        RouteAttributes a = new RouteAttributes();
        a.med = 1000L;
        a.communities = List.of("65000:1", "65000:2");
        a.asPathPrepend = List.of(65002L);
        ExabgpCommands cmd = new ExabgpCommands(c);
        assertEquals("announce route 192.0.2.1/32 next-hop self med 1000 community [ 65000:1 65000:2 ] as-path [ 65002 65002 ]",
                cmd.announce(new Route("192.0.2.1/32", "s", a)));
        assertEquals("announce route 2001:db8::1/128 next-hop 2001:db8::2",
                cmd.announce(new Route("2001:db8::1/128", "s", RouteAttributes.none())));
        c.neighbors = List.of("127.0.0.1", "::1");
        assertEquals("neighbor 127.0.0.1, neighbor ::1 withdraw route 192.0.2.1/32 next-hop self",
                cmd.withdraw("192.0.2.1/32"));
    }

    /** A stand-in for ExaBGP's CLI process on real FIFOs: answers each line with the given word. */
    static Thread fakeExabgp(Path pipe, String answer, List<String> seen) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new FileReader(pipe + ".in"));
                 FileOutputStream out = new FileOutputStream(pipe + ".out")) {
                String line;
                while ((line = in.readLine()) != null) {
                    seen.add(line);
                    out.write((answer + "\n").getBytes());
                    out.flush();
                }
            } catch (IOException ignored) {
                // test over
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    static Path fifos(Path dir) throws Exception {
        Path pipe = dir.resolve("exa");
        for (String end : List.of(".in", ".out")) {
            assertEquals(0, new ProcessBuilder("mkfifo", pipe + end).start().waitFor());
        }
        return pipe;
    }

    @Test
    void pipeSendsOneLineAndTakesDone(@TempDir Path dir) throws Exception {
        ExabgpConfig c = new ExabgpConfig();
        c.pipe = fifos(dir);
        c.timeout = Duration.ofSeconds(2);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        fakeExabgp(c.pipe, "done", seen);
        ExabgpPipeChannel ch = ExabgpPipeChannel.get(c);
        ch.send("announce route 192.0.2.1/32 next-hop self");
        assertEquals(List.of("announce route 192.0.2.1/32 next-hop self"), seen);
    }

    @Test
    void pipeErrorAnswerAndExabgpDown(@TempDir Path dir) throws Exception {
        ExabgpConfig c = new ExabgpConfig();
        c.pipe = fifos(dir);
        c.timeout = Duration.ofMillis(300);
        ExabgpPipeChannel ch = ExabgpPipeChannel.get(c);
        long t0 = System.nanoTime();
        IOException down = assertThrows(IOException.class, () -> ch.send("announce route 192.0.2.1/32 next-hop self"));
        assertTrue(down.getMessage().contains("is ExaBGP running?"), down.getMessage());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(3).toNanos(), "bounded by the timeout");

        fakeExabgp(c.pipe, "error", new java.util.concurrent.CopyOnWriteArrayList<>());
        IOException error = assertThrows(IOException.class, () -> ch.send("bogus"));
        assertTrue(error.getMessage().contains("answered error"), error.getMessage());
    }

    @Test
    void missingFifoIsNotCreatedAsAFile(@TempDir Path dir) {
        ExabgpConfig c = new ExabgpConfig();
        c.pipe = dir.resolve("nothing");
        IOException e = assertThrows(IOException.class, () -> ExabgpPipeChannel.get(c).send("x"));
        assertTrue(e.getMessage().contains("not a FIFO"), e.getMessage());
        assertTrue(!dir.resolve("nothing.in").toFile().exists());
    }
}
