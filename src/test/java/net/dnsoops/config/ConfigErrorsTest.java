package net.dnsoops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.dnsoops.actuator.hook.HookTrigger;
import net.dnsoops.core.AddressPrefix;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.xbill.DNS.Name;

/**
 * Every key of the config, found by walking the config classes, written with a value of the
 * wrong JSON type, with an unusable value and misspelt: each error names the file, the line and
 * column where the key starts, the key's path, and what was expected in the user's words, and
 * nothing of Java. A key added to a config class gets its rows here without anyone writing them;
 * a field of a type this test does not know fails it.
 */
class ConfigErrorsTest {
    private static final List<String> JAVA_SPEAK = List.of("java.", "Cannot deserialize", "oerce", "StreamReadFeature",
            "JsonReadFeature", "`", "Exception", "JsonToken", "VALUE_", "START_", "(code ");

    /** One key of the config: how to reach it (the lines that open its enclosing objects) and its type. */
    record Key(List<String> openers, List<Object> path, String name, Type type) {
        String pathText() {
            List<Object> p = new ArrayList<>(path);
            p.add(name);
            return JsonErrors.pathText(p);
        }

        /** The config text with {@code "name": value} on its own line; the key starts at {@link #line()}:{@link #column()}. */
        String text(String keyText, String value) {
            StringBuilder b = new StringBuilder("{\n");
            int depth = 1;
            for (String o : openers) {
                b.append("  ".repeat(depth++)).append(o).append('\n');
            }
            b.append("  ".repeat(depth)).append('"').append(keyText).append("\": ").append(value).append('\n');
            for (int i = openers.size() - 1; i >= 0; i--) {
                String o = openers.get(i);
                b.append("  ".repeat(--depth)).append(o.endsWith("[") ? "]" : "}").append('\n');
            }
            return b.append("}\n").toString();
        }

        int line() {
            return openers.size() + 2;
        }

        int column() {
            return 2 * (openers.size() + 1) + 1;
        }
    }

    static List<Key> allKeys() {
        List<Key> keys = new ArrayList<>();
        walk(DnsOopsConfig.class, List.of(), List.of(), keys);
        return keys;
    }

    private static void walk(Class<?> bean, List<String> openers, List<Object> path, List<Key> out) {
        for (Field f : bean.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            String name = kebab(f.getName());
            Type t = f.getGenericType();
            out.add(new Key(openers, path, name, t));
            Class<?> raw = JsonErrors.raw(t);
            if (isBean(raw)) {
                walk(raw, plus(openers, "\"" + name + "\": {"), plus(path, name), out);
            } else if (Collection.class.isAssignableFrom(raw) && isBean(JsonErrors.raw(arg(t, 0)))) {
                walk(JsonErrors.raw(arg(t, 0)), plus(plus(openers, "\"" + name + "\": ["), "{"), plus(plus(path, name), 0), out);
            } else if (Map.class.isAssignableFrom(raw)) {
                String mapKey = arg(t, 0) == Name.class ? "a.test." : "x";
                Type v = arg(t, 1);
                List<String> o = plus(plus(openers, "\"" + name + "\": {"), "\"" + mapKey + "\": "
                        + (isBean(JsonErrors.raw(v)) ? "{" : "["));
                List<Object> p = plus(plus(path, name), mapKey);
                if (isBean(JsonErrors.raw(v))) {
                    walk(JsonErrors.raw(v), o, p, out);
                } else if (Collection.class.isAssignableFrom(JsonErrors.raw(v)) && isBean(JsonErrors.raw(arg(v, 0)))) {
                    walk(JsonErrors.raw(arg(v, 0)), plus(o, "{"), plus(p, 0), out);
                }
            }
        }
    }

    private static boolean isBean(Class<?> c) {
        return c.getName().startsWith("net.dnsoops.") && !c.isEnum() && c != HookTrigger.class && c != AddressPrefix.class;
    }

    private static Type arg(Type t, int i) {
        return ((ParameterizedType) t).getActualTypeArguments()[i];
    }

    private static <T> List<T> plus(List<T> l, T x) {
        List<T> r = new ArrayList<>(l);
        r.add(x);
        return r;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** JSON values of the wrong type for {@code t}, and the words the error must use. */
    private static List<String[]> wrongTypes(Type t) {
        Class<?> c = JsonErrors.raw(t);
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return List.<String[]>of(new String[] {"\"two\"", "a whole number"}, new String[] {"2.5", "a whole number"},
                    new String[] {"true", "a whole number"});
        }
        if (c == double.class || c == Double.class) {
            return List.<String[]>of(new String[] {"\"x\"", "a number"}, new String[] {"true", "a number"});
        }
        if (c == boolean.class || c == Boolean.class) {
            return List.<String[]>of(new String[] {"\"yes\"", "true or false"}, new String[] {"1", "true or false"});
        }
        if (c == String.class || c == Path.class) {
            return List.<String[]>of(new String[] {"true", "in double quotes"}, new String[] {"5", "in double quotes"},
                    new String[] {"[\"a\"]", "in double quotes"});
        }
        if (c == Duration.class) return List.<String[]>of(new String[] {"true", "a duration like \"5s\""}, new String[] {"{}", "a duration"});
        if (c == InetSocketAddress.class) return List.<String[]>of(new String[] {"53", "an address like \"127.0.0.1@53\""});
        if (c == Name.class) return List.<String[]>of(new String[] {"53", "a domain name like"});
        if (c.isEnum()) return List.<String[]>of(new String[] {"5", "one of"}, new String[] {"[]", "one of"});
        if (Collection.class.isAssignableFrom(c)) {
            return List.<String[]>of(new String[] {"{}", "a list"}, new String[] {"7", "a list"});
        }
        if (Map.class.isAssignableFrom(c)) return List.<String[]>of(new String[] {"[]", "an object"}, new String[] {"\"x\"", "an object"});
        if (isBean(c)) return List.<String[]>of(new String[] {"5", "an object"}, new String[] {"[]", "an object"});
        return null;
    }

    /** Values of the right JSON type that no parser accepts, for the types with a syntax of their own. */
    private static String[] wrongValue(Type t) {
        Class<?> c = JsonErrors.raw(t);
        if (c == Duration.class) return new String[] {"\"5 parsecs\"", "a duration like \"5s\""};
        if (c == InetSocketAddress.class) return new String[] {"\"nowhere@53\"", "an address like \"127.0.0.1@53\""};
        if (c == Name.class) return new String[] {"\"a..b\"", "a domain name like"};
        if (c.isEnum()) return new String[] {"\"sometimes\"", "one of"};
        if (Collection.class.isAssignableFrom(c)) {
            Class<?> e = JsonErrors.raw(arg(t, 0));
            if (e == InetSocketAddress.class) return new String[] {"[\"nowhere\"]", "an address like \"127.0.0.1@53\""};
            if (e == AddressPrefix.class) return new String[] {"[\"10.0.0.0/33\"]", "an address or prefix like"};
            if (e == Name.class) return new String[] {"[\"a..b\"]", "a domain name like"};
            if (e == HookTrigger.class) return new String[] {"[\"zone-updatd\"]", "a condition like"};
            if (e == Integer.class || e == Long.class) return new String[] {"[\"1\"]", "a whole number"};
        }
        return null;
    }

    private static String error(String text) {
        try {
            ConfigLoader.parse(text, "t.json");
        } catch (ConfigException e) {
            return e.getMessage();
        }
        return null;
    }

    private static void assertUserWords(String message, String context) {
        for (String bad : JAVA_SPEAK) {
            assertTrue(!message.contains(bad), "\"" + bad + "\" in: " + message + "\n" + context);
        }
    }

    private static void assertAtKey(Key k, String message, List<Object> extraPath, String text) {
        String path = JsonErrors.pathText(Stream.concat(Stream.concat(k.path().stream(), Stream.of(k.name())),
                extraPath.stream()).toList());
        String at = "t.json:" + k.line() + ":" + (extraPath.isEmpty() ? k.column() + ":" : "");
        assertTrue(message != null, "no error for\n" + text);
        assertTrue(message.startsWith(at), "expected " + at + " (where the key starts), got: " + message + "\n" + text);
        assertTrue(message.contains(": " + path + ": "), "expected the path " + path + " in: " + message + "\n" + text);
    }

    @TestFactory
    Stream<DynamicTest> everyKeyWithAValueOfTheWrongType() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Key k : allKeys()) {
            List<String[]> rows = wrongTypes(k.type());
            if (rows == null) {
                tests.add(DynamicTest.dynamicTest(k.pathText(), () -> fail("no wrong-type rows for " + k.type()
                        + " (" + k.pathText() + "): teach ConfigErrorsTest and JsonErrors.expected this type")));
                continue;
            }
            for (String[] row : rows) {
                tests.add(DynamicTest.dynamicTest(k.pathText() + " = " + row[0], () -> {
                    String text = k.text(k.name(), row[0]);
                    String m = error(text);
                    assertAtKey(k, m, List.of(), text);
                    assertTrue(m.contains(row[1]), "expected the words \"" + row[1] + "\" in: " + m + "\n" + text);
                    assertUserWords(m, text);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyKeyWithASyntaxOfItsOwnRejectsAnUnusableValue() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Key k : allKeys()) {
            String[] row = wrongValue(k.type());
            if (row == null) continue;
            tests.add(DynamicTest.dynamicTest(k.pathText() + " = " + row[0], () -> {
                String text = k.text(k.name(), row[0]);
                String m = error(text);
                boolean list = Collection.class.isAssignableFrom(JsonErrors.raw(k.type()));
                assertAtKey(k, m, list ? List.of(0) : List.of(), text);
                assertTrue(m.contains(row[1]), "expected the words \"" + row[1] + "\" in: " + m + "\n" + text);
                assertUserWords(m, text);
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyKeyMisspeltIsCaughtAtTheKeyWithTheRightSuggestion() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Key k : allKeys()) {
            if (k.name().length() < 4) continue; // too short for a near miss
            // drop one letter from the middle: "timeout" -> "timout"
            int cut = k.name().length() / 2;
            if (k.name().charAt(cut) == '-') cut++;
            String typo = k.name().substring(0, cut) + k.name().substring(cut + 1);
            tests.add(DynamicTest.dynamicTest(k.pathText() + " as " + typo, () -> {
                String text = k.text(typo, "1");
                String m = error(text);
                Key typoKey = new Key(k.openers(), k.path(), typo, k.type());
                assertAtKey(typoKey, m, List.of(), text);
                assertTrue(m.contains("unknown key \"" + typo + "\" (did you mean \"" + k.name() + "\"?)"), m + "\n" + text);
                assertUserWords(m, text);
            }));
        }
        return tests.stream();
    }

    @Test
    void theWalkFindsTheKeysOfEverySection() {
        List<String> paths = allKeys().stream().map(Key::pathText).toList();
        for (String p : List.of("listen", "zones.\"a.test.\".soa-tries", "defaults.primaries", "hooks[0].command",
                "keys.x.secret", "webhook.timeout", "relay.zones.\"a.test.\"[0].address", "verify[0].trust-anchor.parent",
                "services.x.up.med", "http.listen", "exabgp.mode")) {
            assertTrue(paths.contains(p), p + " not among " + paths);
        }
    }

    /** Values of the right JSON type outside what a key allows: said at the key, in words. */
    @Test
    void valuesOutOfRangeAreErrorsAtTheirKey() {
        String[][] rows = {
                {"{\n  \"zones\": {\n    \"a.\": {\n      \"soa-tries\": 0\n    }\n  }\n}", "4:7", "zones.\"a.\".soa-tries", "at least 1"},
                {"{\n  \"defaults\": {\n    \"jitter\": 1.5\n  }\n}", "3:5", "defaults.jitter", "below 1"},
                {"{\n  \"defaults\": {\n    \"notifier-port\": 70000\n  }\n}", "3:5", "defaults.notifier-port", "1-65535"},
                {"{\n  \"hook-workers\": 0\n}", "2:3", "hook-workers", "at least 1"},
                {"{\n  \"listen\": []\n}", "2:3", "listen", "at least one"},
                {"{\n  \"webhook\": {\n    \"timeout\": \"0s\"\n  }\n}", "3:5", "webhook.timeout", "positive"},
                {"{\n  \"http\": {\n    \"listen\": [\"127.0.0.1@99999\"]\n  }\n}", "3:16", "http.listen[0]", "out of range"},
                {"{\n  \"keys\": {\n    \"k\": {\n      \"algorithm\": \"hmac-sha3\", \"secret\": \"AAAA\"\n    }\n  }\n}", "4:7",
                        "keys.k.algorithm", "unknown TSIG algorithm"},
                {"{\n  \"zones\": {\n    \"a..b\": {}\n  }\n}", "3:5", "zones.\"a..b\"", "a domain name like"},
        };
        for (String[] r : rows) {
            String m = error(r[0]);
            assertTrue(m != null && m.startsWith("t.json:" + r[1] + ": " + r[2] + ": ") && m.contains(r[3]), m + "\n" + r[0]);
            assertUserWords(m, r[0]);
        }
    }

    /** The cases an operator reported, each as it was seen. */
    @Test
    void theReportedCases() {
        String m = error("{\n  \"listen\": \"127.0.0.1@53\"\n}");
        assertEquals("t.json:2:3: listen: expected a list of addresses like [\"127.0.0.1@53\"], found \"127.0.0.1@53\""
                + " (write a list in [ ], even of one)", m);
        m = error("{\n  \"zones\": { \"a.\": { \"soa-tries\": \"two\" } }\n}");
        assertEquals("t.json:2:22: zones.\"a.\".soa-tries: expected a whole number, found \"two\"", m);
        m = error("{\n  \"zones\": { \"a.\": { \"soa-tries\": 2.5 } }\n}");
        assertEquals("t.json:2:22: zones.\"a.\".soa-tries: expected a whole number, found 2.5", m);
        m = error("{\n  \"keys\": { \"k\": { \"secret\": true } }\n}");
        assertEquals("t.json:2:20: keys.k.secret: expected text in double quotes, found true", m);
        m = error("{\n  \"zones\": { \"a.\": { \"primarys\": [] } }\n}");
        assertEquals("t.json:2:22: zones.\"a.\".primarys: unknown key \"primarys\" (did you mean \"primaries\"?)", m);
        m = error("{\n  \"zones\": {\n    \"a.\": { \"notify-key\": \"nokey\" }\n  }\n}");
        assertTrue(m.startsWith("t.json:3:13: zones.\"a.\".notify-key: no key named \"nokey\""), m);
        m = error("{\n  \"zones\": {\n");
        assertEquals("t.json:3:1: the file ends before the } that closes the object opened at line 2, column 12", m);
        m = error("{\n  \"zones\": {}\n  \"site\": \"x\"\n}");
        assertTrue(m.startsWith("t.json:3:3: expected , or } after the previous value"), m);
        m = error("{\n  \"zones\": {},\n  \"zones\": {}\n}");
        assertEquals("t.json:3:3: key \"zones\" is given twice in the same object; keep one", m);
        for (String broken : List.of("{\n  'zones': {}\n}", "{ \"site\": x }", "{ \"hook-workers\": 01 }", "[1, 2",
                "{ \"site\": \"a\tb\" }", "")) {
            String e = error(broken);
            assertTrue(e != null && e.matches("t\\.json:\\d+:\\d+: .*"), e + "\n" + broken);
            assertUserWords(e, broken);
        }
    }

    @Test
    void theKeysFileSpeaksTheSameWay(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path keys = dir.resolve("keys.json");
        java.nio.file.Files.writeString(keys, "{\n  \"k\": {\n    \"secret\": 5\n  }\n}\n");
        java.nio.file.Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String m = null;
        try {
            ConfigLoader.parse("{ \"keys-file\": \"keys.json\" }", "t.json", dir);
        } catch (ConfigException e) {
            m = e.getMessage();
        }
        assertEquals(keys + ":3:5: k.secret: expected text in double quotes, found 5", m);
    }
}
