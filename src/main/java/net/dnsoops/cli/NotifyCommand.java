package net.dnsoops.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.nio.file.Path;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.config.TsigKeys;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Sends NOTIFY for zones and prints each answer: a scriptable nsnotify. */
@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Send a DNS NOTIFY for each ZONE and print the answer's RCODE; exit 1 if any "
                + "is not NOERROR or gets no answer.")
public final class NotifyCommand implements Callable<Integer> {
    @Option(names = "--server", defaultValue = "127.0.0.1@53530",
            description = "Where to send: addr@port (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--tcp", description = "Send over TCP instead of UDP")
    boolean tcp;

    @Option(names = "--timeout", defaultValue = "3s", description = "Wait this long per try (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--tries", defaultValue = "3", description = "Send up to this many times (default: ${DEFAULT-VALUE})")
    int tries;

    @Option(names = "--key", paramLabel = "NAME",
            description = "Sign each NOTIFY with this TSIG key (RFC 8945) and require a signed answer; the key comes"
                    + " from --keys-file, or else from the config's \"keys\"/\"keys-file\"")
    String key;

    @Option(names = "--keys-file", paramLabel = "FILE",
            description = "TSIG keys in the format of the config's \"keys-file\" (mode 600)")
    Path keysFile;

    @Option(names = {"-c", "--config"}, defaultValue = "/etc/dns-oops/dns-oops.json",
            description = "Config file whose keys --key names when there is no --keys-file (default: ${DEFAULT-VALUE})")
    Path config;

    @Parameters(arity = "1..*", paramLabel = "ZONE")
    List<String> zones;

    @Override
    public Integer call() {
        InetSocketAddress target;
        Duration wait;
        try {
            target = ConfigValues.addressAndPort(server, 53);
            wait = ConfigValues.duration(timeout);
        } catch (IllegalArgumentException e) {
            System.err.println("notify: " + e.getMessage());
            return 2;
        }
        TSIG tsig = null;
        if (key != null) {
            try {
                TsigKeys keys = keysFile != null ? TsigKeys.fromFile(keysFile) : ConfigLoader.load(config).keyRing();
                tsig = keys.get(ConfigValues.zoneName(key));
                if (tsig == null) {
                    System.err.println("notify: no TSIG key named \"" + key + "\" in "
                            + (keysFile != null ? keysFile : config));
                    return 2;
                }
            } catch (ConfigException | IllegalArgumentException e) {
                System.err.println("notify: " + e.getMessage());
                return 2;
            }
        }
        SimpleResolver r = new SimpleResolver(target);
        r.setTCP(tcp);
        r.setTimeout(wait);
        if (tsig != null) r.setTSIGKey(tsig);
        int failed = 0;
        for (String z : zones) {
            String line;
            try {
                Name name = ConfigValues.zoneName(z);
                Message answer = send(r, name);
                int rcode = answer.getRcode();
                line = name + " " + Rcode.string(rcode);
                TSIGRecord sig = answer.getTSIG();
                if (sig != null && sig.getError() != Rcode.NOERROR) line += " " + Rcode.TSIGstring(sig.getError());
                boolean unverified = tsig != null && !answer.isVerified();
                if (unverified) line += " (answer not signed with " + key + ")";
                if (rcode != Rcode.NOERROR || unverified) failed++;
            } catch (Exception e) {
                line = z + " FAILED " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                failed++;
            }
            System.out.println(line);
        }
        return failed == 0 ? 0 : 1;
    }

    private Message send(SimpleResolver r, Name zone) throws Exception {
        Message m = new Message();
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(zone, Type.SOA, DClass.IN), Section.QUESTION);
        Exception last = null;
        for (int i = 0; i < Math.max(1, tries); i++) {
            try {
                return r.send(m);
            } catch (java.io.IOException e) {
                last = e;
            }
        }
        throw last;
    }
}
