package net.dnsoops.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
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
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.dnsoops.actuator.hook.HookTrigger;
import net.dnsoops.core.AddressPrefix;
import org.xbill.DNS.Name;

/**
 * Jackson's errors in the words of the file's author: "FILE:LINE:COLUMN: PATH: what is wrong,
 * what was expected". LINE:COLUMN is where the offending key starts (a list element: where the
 * element starts; broken JSON: where the parser stopped), found again in the text by the path,
 * so that it does not depend on where Jackson happened to be. The expected shape comes from the
 * Java type at that path ("a whole number", "a duration like "5s""), never its Java name.
 */
public final class JsonErrors {
    private static final JsonFactory SCANNER = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();
    private static final Pattern QUOTED_KEY = Pattern.compile("\"([A-Za-z0-9_-]+)\"");
    private static final Pattern MARKER_AT = Pattern.compile("line: (\\d+), column: (\\d+)");

    private JsonErrors() {
    }

    /** One step of a path: a key (String) or a list index (Integer). */
    public static List<Object> path(JsonMappingException m) {
        List<Object> path = new ArrayList<>();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getIndex() >= 0) path.add(r.getIndex());
            else if (r.getFieldName() != null) path.add(r.getFieldName());
        }
        return path;
    }

    /** zones."example.com.".primaries[0], as the user wrote the keys. */
    public static String pathText(List<Object> path) {
        StringBuilder b = new StringBuilder();
        for (Object o : path) {
            if (o instanceof Integer i) {
                b.append('[').append(i).append(']');
            } else {
                String f = (String) o;
                if (b.length() > 0) b.append('.');
                b.append(f.matches("[A-Za-z0-9_-]+") ? f : "\"" + f + "\"");
            }
        }
        return b.toString();
    }

    /**
     * The whole message for an error Jackson raised while reading {@code text} (named
     * {@code origin}) as {@code root}.
     */
    public static String describe(JsonProcessingException e, String origin, String text, Type root) {
        if (!(e instanceof JsonMappingException m) || isSyntax(e)) {
            JsonLocation loc = e.getLocation();
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (msg.startsWith("Duplicate field '") && loc != null && loc.getColumnNr() > 0) {
                // the parser stands just after the second key: point at its first character
                int len = msg.replaceFirst("^Duplicate field '(.*)'.*$", "$1").length() + 2;
                return origin + ":" + loc.getLineNr() + ":" + Math.max(1, loc.getColumnNr() - len) + ": " + syntax(e, text);
            }
            return origin + at(loc) + ": " + syntax(e, text);
        }
        List<Object> path = path(m);
        String what;
        if (e instanceof UnrecognizedPropertyException u) {
            what = unknownKey(u.getPropertyName(), u.getKnownPropertyIds());
            if (path.isEmpty() || !u.getPropertyName().equals(path.get(path.size() - 1))) path.add(u.getPropertyName());
        } else if (semantic(m) != null) {
            what = extendByNamedKey(text, path, semantic(m));
        } else {
            Type type = typeAt(root, path);
            Scan found = scan(text, path);
            if (m.getOriginalMessage() != null && m.getOriginalMessage().startsWith("No content")) {
                what = "the file is empty; expected the settings as an object { }";
            } else {
                what = "expected " + (type == null ? "something else" : expected(type)) + range(e)
                        + (found == null ? "" : ", found " + found.value)
                        + (found != null && type != null && isList(type) && !found.value.startsWith("a list")
                        && !found.value.startsWith("an object") ? " (write a list in [ ], even of one)" : "");
            }
        }
        Scan s = scan(text, path);
        String where = s != null ? ":" + s.line + ":" + s.column : at(e.getLocation());
        return origin + where + ": " + (path.isEmpty() ? "" : pathText(path) + ": ") + what;
    }

    /** "FILE:LINE:COLUMN: PATH: MESSAGE" for an error found after parsing, located by its path. */
    public static String at(String origin, String text, List<Object> path, String message) {
        Scan s = text == null ? null : scan(text, path);
        return origin + (s == null ? "" : ":" + s.line + ":" + s.column) + ": " + pathText(path) + ": " + message;
    }

    /** As {@link #at(String, String, List, String)}; a key of that object named in the message is pointed at. */
    public static String atNamedKey(String origin, String text, List<Object> path, String message) {
        List<Object> p = new ArrayList<>(path);
        String m = text == null ? message : extendByNamedKey(text, p, message);
        return at(origin, text, p, m);
    }

    private static String at(JsonLocation loc) {
        return loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() + ":" + loc.getColumnNr() : "";
    }

    private static boolean isSyntax(JsonProcessingException e) {
        return !(e instanceof JsonMappingException) || e.getCause() instanceof com.fasterxml.jackson.core.JsonParseException
                && !(e.getCause() instanceof InputCoercionException);
    }

    /** A value that has the right JSON type but is not acceptable: the message is already in words. */
    private static String semantic(JsonMappingException m) {
        if (m instanceof MismatchedInputException && !(m.getCause() instanceof IllegalArgumentException)) return null;
        if (m.getCause() instanceof InputCoercionException) return null;
        Throwable c = m.getCause();
        String msg = c instanceof IllegalArgumentException && c.getMessage() != null ? c.getMessage() : m.getOriginalMessage();
        if (msg == null || looksLikeJava(msg)) return null;
        int nl = msg.indexOf('\n');
        return nl > 0 ? msg.substring(0, nl) : msg;
    }

    static boolean looksLikeJava(String msg) {
        return msg.contains("java.") || msg.contains("Cannot deserialize") || msg.contains("Cannot coerce")
                || msg.contains("Cannot construct") || msg.contains("`") || msg.contains("Feature");
    }

    /** A validation message that names a key of the section ("\"timeout\" must be positive") points at that key. */
    private static String extendByNamedKey(String text, List<Object> path, String message) {
        Matcher k = QUOTED_KEY.matcher(message);
        while (k.find()) {
            List<Object> longer = new ArrayList<>(path);
            longer.add(k.group(1));
            if (scan(text, longer) != null) {
                path.add(k.group(1));
                String prefix = "\"" + k.group(1) + "\": ";
                // the path names the key now: "\"urls\": 'x' is not a URL" -> "'x' is not a URL"
                return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
            }
        }
        return message;
    }

    static String unknownKey(String name, Collection<Object> known) {
        List<String> keys = known == null ? List.of() : known.stream().map(Object::toString).sorted().toList();
        String near = Strings.closest(keys, name);
        if (near != null) return "unknown key \"" + name + "\" (did you mean \"" + near + "\"?)";
        return "unknown key \"" + name + "\"; known keys: " + String.join(", ", keys);
    }

    private static String range(JsonProcessingException e) {
        Throwable c = e.getCause() instanceof InputCoercionException ? e.getCause() : e;
        Matcher m = Pattern.compile("out of range of (int|long)").matcher(String.valueOf(c.getMessage()));
        if (!m.find()) return "";
        return m.group(1).equals("int") ? " from -2147483648 to 2147483647" : " from -9223372036854775808 to 9223372036854775807";
    }

    // ---- broken JSON ----

    private static String syntax(JsonProcessingException e, String text) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        Matcher ch = Pattern.compile("Unexpected character \\('(.*)' \\(code \\d+\\)\\)").matcher(m);
        String c = ch.find() ? ch.group(1) : null;
        Matcher marker = MARKER_AT.matcher(m);
        String opened = marker.find() ? " opened at line " + marker.group(1) + ", column " + marker.group(2) : "";
        if (m.startsWith("Duplicate field")) {
            String name = m.replaceFirst("^Duplicate field '(.*)'.*$", "$1");
            return "key \"" + name + "\" is given twice in the same object; keep one";
        }
        if (m.contains("was expecting comma to separate Object entries")) {
            return "expected , or } after the previous value, found " + shown(c) + " (a comma missing?)";
        }
        if (m.contains("was expecting comma to separate Array entries")) {
            return "expected , or ] after the previous value, found " + shown(c) + " (a comma missing?)";
        }
        if (m.contains("was expecting double-quote to start field name")) {
            return "expected a key in double quotes, found " + shown(c) + ("'".equals(c) ? " (JSON takes \" not ')" : "");
        }
        if (m.contains("was expecting a colon")) return "expected : after the key, found " + shown(c);
        if (m.startsWith("Unexpected end-of-input") && m.contains("Object")) {
            return "the file ends before the } that closes the object" + opened;
        }
        if (m.startsWith("Unexpected end-of-input") && m.contains("Array")) {
            return "the file ends before the ] that closes the list" + opened;
        }
        if (m.startsWith("Unexpected end-of-input")) return "the file ends in the middle of a value (a closing \" missing?)";
        if (m.startsWith("Unexpected close marker")) {
            return "found " + m.replaceFirst("^Unexpected close marker '(.)'.*$", "$1") + " where the "
                    + (m.contains("for Array") ? "list" : "object") + opened + " must be closed first";
        }
        if (m.startsWith("Unrecognized token")) {
            String tok = m.replaceFirst("^Unrecognized token '(.*)': was expecting.*$", "$1");
            return "expected a value (a string in double quotes, a number, true, false, null, [ ] or { }), found " + tok
                    + " (text needs double quotes)";
        }
        if (m.contains("expected a valid value") || m.contains("was expecting (JSON String")) {
            return "expected a value (a string in double quotes, a number, true, false, null, [ ] or { }), found " + shown(c);
        }
        if (m.startsWith("Illegal unquoted character")) {
            return "a tab, line break or other control character inside a string must be written as an escape (\\t, \\n)";
        }
        if (m.contains("Leading zeroes not allowed")) return "a number must not start with 0 (write 7, not 07)";
        if (m.startsWith("Non-standard token")) {
            return m.replaceFirst("^Non-standard token '(.*)'.*$", "$1") + " is not a JSON number";
        }
        if (m.startsWith("Invalid numeric value") || m.startsWith("Unexpected character ('")) {
            return "not valid JSON here" + (c == null ? "" : ": found " + shown(c));
        }
        if (m.startsWith("Invalid UTF-8") || m.contains("Invalid UTF-8")) return "the file is not UTF-8 text";
        if (m.startsWith("Trailing token")) return "more text after the end of the top-level object";
        if (m.startsWith("No content")) return "the file is empty; expected a JSON object { ... }";
        if (m.contains("Unexpected character")) return "not valid JSON here";
        String cleaned = m.replaceAll("\\s*\\(code \\d+\\)", "").replaceAll("\\s*at \\[Source.*", "")
                .replaceAll("\\s*\\(start marker at .*\\)", "");
        return looksLikeJava(cleaned) ? "not valid JSON here" : cleaned;
    }

    private static String shown(String c) {
        return c == null ? "something else" : "'" + c + "'";
    }

    // ---- the text, found again by path ----

    /** Where the key (or list element) at {@code path} starts, and what its value is. */
    record Scan(int line, int column, String value) {
    }

    static Scan scan(String text, List<Object> path) {
        try (JsonParser p = SCANNER.createParser(text)) {
            if (p.nextToken() == null) return null;
            return descend(p, path, 0, p.currentTokenLocation());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Scan descend(JsonParser p, List<Object> path, int i, JsonLocation keyAt) throws IOException {
        if (i == path.size()) {
            return new Scan(keyAt.getLineNr(), keyAt.getColumnNr(), found(p));
        }
        Object step = path.get(i);
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT && step instanceof String key) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                JsonLocation at = p.currentTokenLocation();
                boolean match = p.currentName().equals(key);
                p.nextToken();
                if (match) return descend(p, path, i + 1, at);
                p.skipChildren();
            }
            return null;
        }
        if (t == JsonToken.START_ARRAY && step instanceof Integer index) {
            int n = 0;
            while (p.nextToken() != JsonToken.END_ARRAY && p.currentToken() != null) {
                if (n++ == index) return descend(p, path, i + 1, p.currentTokenLocation());
                p.skipChildren();
            }
        }
        return null;
    }

    private static String found(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) return "nothing";
        return switch (t) {
            case START_OBJECT -> "an object { }";
            case START_ARRAY -> "a list [ ]";
            case VALUE_STRING -> {
                String s = p.getText();
                yield "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
            }
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
            default -> "something else";
        };
    }

    // ---- the expected shape, from the Java type at the path ----

    /** The type of the value at {@code path} below {@code root}, or null if no field is declared there. */
    static Type typeAt(Type root, List<Object> path) {
        Type t = root;
        for (Object step : path) {
            if (t == null) return null;
            Class<?> raw = raw(t);
            if (step instanceof Integer) {
                t = Collection.class.isAssignableFrom(raw) ? typeArg(t, 0) : null;
            } else if (Map.class.isAssignableFrom(raw)) {
                t = typeArg(t, 1);
            } else {
                Field f = field(raw, (String) step);
                t = f == null ? null : f.getGenericType();
            }
        }
        return t;
    }

    /** The public field a config key names ("soa-tries" -> soaTries), or null. */
    static Field field(Class<?> c, String key) {
        StringBuilder camel = new StringBuilder();
        boolean up = false;
        for (char ch : key.toCharArray()) {
            if (ch == '-') {
                up = true;
            } else {
                camel.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        for (String name : List.of(camel.toString(), key)) {
            try {
                Field f = c.getDeclaredField(name);
                if (!Modifier.isStatic(f.getModifiers())) return f;
            } catch (NoSuchFieldException e) {
                // try the next spelling
            }
        }
        return null;
    }

    static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) return c;
        if (t instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        return Object.class;
    }

    private static Type typeArg(Type t, int i) {
        return t instanceof ParameterizedType p && p.getActualTypeArguments().length > i ? p.getActualTypeArguments()[i] : null;
    }

    static boolean isList(Type t) {
        return Collection.class.isAssignableFrom(raw(t));
    }

    /** What a value of type {@code t} looks like, in words, with its article. */
    public static String expected(Type t) {
        Class<?> c = raw(t);
        if (Collection.class.isAssignableFrom(c)) {
            Type e = typeArg(t, 0);
            String example = e == null ? null : example(raw(e));
            return "a list of " + (e == null ? "values" : plural(e)) + (example == null ? " in [ ]" : " like [" + example + "]");
        }
        if (Map.class.isAssignableFrom(c)) {
            Type k = typeArg(t, 0);
            Type v = typeArg(t, 1);
            return "an object of " + (k == Name.class ? "zone names" : "names") + " to "
                    + (v == null ? "values" : plural(v));
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class) return "a whole number";
        if (c == Double.class || c == double.class) return "a number";
        if (c == Boolean.class || c == boolean.class) return "true or false";
        if (c == String.class) return "text in double quotes";
        if (c == Path.class) return "a file path in double quotes";
        if (c == Duration.class) return "a duration like \"5s\"";
        if (c == InetSocketAddress.class) return "an address like \"127.0.0.1@53\"";
        if (c == AddressPrefix.class) return "an address or prefix like \"192.0.2.0/24\"";
        if (c == Name.class) return "a domain name like \"example.com.\"";
        if (c == HookTrigger.class) return "a condition like \"zone-updated\" or \"zone-ready:cleared\"";
        if (c.isEnum()) return "one of " + enumValues(c);
        return "an object { }";
    }

    private static String plural(Type t) {
        Class<?> c = raw(t);
        if (Collection.class.isAssignableFrom(c)) return "lists";
        if (c == Integer.class || c == Long.class) return "whole numbers";
        if (c == String.class) return "texts";
        if (c == InetSocketAddress.class) return "addresses";
        if (c == AddressPrefix.class) return "addresses or prefixes";
        if (c == Name.class) return "domain names";
        if (c == HookTrigger.class) return "conditions";
        if (c == Duration.class) return "durations";
        if (c.isEnum()) return "values, each one of " + enumValues(c);
        return "objects { }";
    }

    /** One or two elements of a list of {@code c}, as JSON, for "a list of ... like [...]". */
    private static String example(Class<?> c) {
        if (c == Integer.class || c == Long.class) return "1, 2";
        if (c == String.class) return "\"a\", \"b\"";
        if (c == InetSocketAddress.class) return "\"127.0.0.1@53\"";
        if (c == AddressPrefix.class) return "\"192.0.2.0/24\", \"::1\"";
        if (c == Name.class) return "\"example.com.\"";
        if (c == HookTrigger.class) return "\"zone-updated\", \"zone-ready:cleared\"";
        if (c == Duration.class) return "\"5s\"";
        return null;
    }

    static String enumValues(Class<?> c) {
        return java.util.Arrays.stream(c.getFields()).filter(Field::isEnumConstant).map(f -> {
            com.fasterxml.jackson.annotation.JsonProperty p = f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return "\"" + (p != null ? p.value() : f.getName().toLowerCase(Locale.ROOT)) + "\"";
        }).collect(Collectors.joining(", "));
    }
}
