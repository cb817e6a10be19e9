package net.dnsoops.actuator.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.dnsoops.actuator.hook.CommandTemplate;
import net.dnsoops.core.StateView;
import net.dnsoops.route.PrefixTemplate;
import net.dnsoops.route.ReconcilingActuator;
import net.dnsoops.route.Route;
import net.dnsoops.route.RouteAttributes;
import net.dnsoops.route.ServiceSettings;

/**
 * Announces service prefixes by running commands (config "command"): one "announce" run per
 * prefix that appears or changes attributes, one "withdraw" run per prefix that goes. A non-zero
 * exit or a timeout fails the pass; it is retried with backoff as a full pass.
 */
public final class CommandActuator extends ReconcilingActuator {
    private final CommandConfig config;

    public CommandActuator(CommandConfig config, List<ServiceSettings> services, StateView state, Clock clock) {
        super("command", clock, services, state, config.resync, config.stopTimeout);
        this.config = config;
    }

    @Override
    protected void converge(SortedMap<String, Route> desired, SortedMap<String, Route> previous,
                            List<String> allPrefixes) throws Exception {
        List<String> gone = previous == null ? allPrefixes : List.copyOf(previous.keySet());
        for (String p : gone) {
            if (!desired.containsKey(p)) run(config.withdraw, variables(p, null));
        }
        for (Route r : desired.values()) {
            if (previous == null || !r.equals(previous.get(r.prefix()))) run(config.announce, variables(r.prefix(), r));
        }
    }

    /** The template variables for one prefix; attributes are empty for a withdrawal. */
    static Map<String, String> variables(String prefix, Route r) {
        Map<String, String> v = new HashMap<>();
        v.put("prefix", prefix);
        v.put("address", prefix.substring(0, prefix.indexOf('/')));
        v.put("length", prefix.substring(prefix.indexOf('/') + 1));
        v.put("family", PrefixTemplate.isIpv6(prefix) ? "ipv6" : "ipv4");
        RouteAttributes a = r == null ? RouteAttributes.none() : r.attributes();
        v.put("service", r == null ? "" : r.service());
        v.put("med", a.med == null ? "" : a.med.toString());
        v.put("communities", String.join(" ", a.communities));
        v.put("as-path-prepend", a.asPathPrepend.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        return v;
    }

    private void run(List<String> template, Map<String, String> vars) throws IOException, InterruptedException {
        List<String> argv = CommandTemplate.expand(template, vars);
        // Output to a file, not a pipe: a chatty command must not block on a full pipe buffer.
        java.nio.file.Path output = java.nio.file.Files.createTempFile("dns-oops-command", ".out");
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(config.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("timed out after " + config.timeout.toMillis() + " ms: " + String.join(" ", argv));
            }
        } finally {
            output.toFile().deleteOnExit();
        }
        String out = new String(java.nio.file.Files.readAllBytes(output), StandardCharsets.UTF_8).trim();
        java.nio.file.Files.deleteIfExists(output);
        if (!out.isEmpty()) log.info("command: {} -> {}", String.join(" ", argv), out.length() > 500 ? out.substring(0, 500) : out);
        if (p.exitValue() != 0) throw new IOException("exit code " + p.exitValue() + ": " + String.join(" ", argv));
        log.debug("command: ran {}", String.join(" ", argv));
    }
}
