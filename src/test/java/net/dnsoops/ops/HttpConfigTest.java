package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpConfigTest {
    @TempDir
    Path dir;

    @Test
    void absentMeansNoServerAndEmptyMeansLoopbackDefaults() throws Exception {
        assertNull(ConfigLoader.parse("{}", "t").http);
        DnsOopsConfig c = ConfigLoader.parse("{\"http\": {}}", "t");
        assertEquals("127.0.0.1", c.http.listen.get(0).getAddress().getHostAddress());
        assertEquals(9553, c.http.listen.get(0).getPort());
        assertEquals("", c.http.resolveToken());
        assertTrue(c.http.statusPage);
    }

    @Test
    void unknownKeysAreLocatedErrors() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("{\n \"http\": {\n  \"tokn\": \"x\"\n }\n}", "f.json"));
        assertTrue(e.getMessage().startsWith("f.json:3:"), e.getMessage());
        assertTrue(e.getMessage().contains("http.tokn") && e.getMessage().contains("unknown key"), e.getMessage());
    }

    @Test
    void aNonLoopbackAddressNeedsAToken() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("{\"http\": {\"listen\": [\"0.0.0.0@9553\"]}}", "f.json"));
        assertTrue(e.getMessage().contains("needs \"token\" or \"token-file\""), e.getMessage());
        assertEquals("s", ConfigLoader.parse("{\"http\": {\"listen\": [\"::@9553\"], \"token\": \"s\"}}", "t").http.resolveToken());
    }

    @Test
    void tokenFileIsReadAndMustExist() throws Exception {
        Path f = Files.writeString(dir.resolve("token"), "  abc \nignored\n");
        assertEquals("abc", ConfigLoader.parse("{\"http\": {\"token-file\": \"" + f + "\"}}", "t").http.resolveToken());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("{\"http\": {\"token-file\": \"" + dir.resolve("none") + "\"}}", "t"));
        assertTrue(e.getMessage().contains("not readable"), e.getMessage());
        assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("{\"http\": {\"token\": \"a\", \"token-file\": \"" + f + "\"}}", "t"));
    }
}
