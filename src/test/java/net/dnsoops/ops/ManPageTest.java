package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import net.dnsoops.cli.DnsOopsCommand;
import net.dnsoops.config.DnsOopsConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Keeps the hand-written man pages true: every CLI command and every top-level config key is in them. */
class ManPageTest {
    @Test
    void dnsOops8NamesEveryCommand() throws Exception {
        String man = Files.readString(Path.of("docs/man/dns-oops.8"));
        for (String cmd : new CommandLine(new DnsOopsCommand()).getSubcommands().keySet()) {
            assertTrue(man.contains(".B " + cmd) || man.contains(".B dns-oops " + cmd) || man.contains(".BI " + cmd)
                    || man.contains(".BR " + cmd) || man.contains("\n" + cmd), "dns-oops.8 lacks the command " + cmd);
        }
    }

    @Test
    void dnsOops8NamesEveryOptionOfEveryCommand() throws Exception {
        String man = Files.readString(Path.of("docs/man/dns-oops.8")).replace("\\-", "-");
        for (var sub : new CommandLine(new DnsOopsCommand()).getSubcommands().entrySet()) {
            for (var option : sub.getValue().getCommandSpec().options()) {
                String name = option.longestName();
                if (option.usageHelp() || option.versionHelp()) continue;
                assertTrue(man.contains(name), "dns-oops.8 lacks " + sub.getKey() + " " + name);
            }
        }
    }

    @Test
    void dnsOopsJson5NamesEveryTopLevelKey() throws Exception {
        String man = Files.readString(Path.of("docs/man/dns-oops.json.5"));
        for (var f : DnsOopsConfig.class.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
            String key = f.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            assertTrue(man.contains(key), "dns-oops.json.5 lacks the key " + key);
        }
    }
}
