package net.dnsoops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The control commands: POSTs to the running daemon's HTTP API. Exit codes as dns-oops(8) lists
 * them: 0 done, 1 the daemon refused or failed it (bad config on reload, unknown zone, a token it
 * does not accept: 401/403), 2 it cannot be reached, 3 not available in this build (501).
 * (drain and undrain go through the local control socket: DrainCommand, UndrainCommand.)
 */
public final class ControlCommands {
    private ControlCommands() {
    }

    static int post(OpsClient client, String action, String body) {
        try {
            OpsClient.Reply r = client.post("/control/" + action, body);
            String msg = message(r.body());
            if (r.status() / 100 == 2) {
                System.out.println(msg);
                return 0;
            }
            System.err.println("dns-oops: " + action + ": " + msg + " (HTTP " + r.status() + ")");
            return r.status() == 501 ? 3 : ControlClient.REFUSED;
        } catch (OpsClient.Failure e) {
            System.err.println("dns-oops: " + e.getMessage());
            return ControlClient.UNREACHABLE;
        }
    }

    private static String message(String body) {
        try {
            JsonNode n = new ObjectMapper().readTree(body);
            if (n.has("error")) return n.get("error").asText();
            if (n.has("zone")) return n.get("zone").asText() + ": " + n.path("result").asText();
            if (n.has("result")) return n.get("result").asText();
        } catch (Exception e) {
            // not JSON: show it as it is
        }
        return body.strip();
    }

    @Command(name = "reload", mixinStandardHelpOptions = true,
            description = "Make the running daemon re-read its config (like SIGHUP); exit 1 if it rejected the file.")
    public static final class Reload implements Callable<Integer> {
        @Mixin
        OpsClient client;

        @Override
        public Integer call() {
            return post(client, "reload", "");
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true,
            description = "Check a zone's SOA now (as if a NOTIFY had come); exit 1 if the zone is not configured.")
    public static final class Refresh implements Callable<Integer> {
        @Mixin
        OpsClient client;

        @Parameters(paramLabel = "ZONE", description = "The zone to check")
        String zone;

        @Override
        public Integer call() {
            return post(client, "refresh-zone", JsonNodeFactory.instance.objectNode().put("zone", zone).toString());
        }
    }
}
