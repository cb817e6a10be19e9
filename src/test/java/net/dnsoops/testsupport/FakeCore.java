package net.dnsoops.testsupport;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import net.dnsoops.core.Admission;
import net.dnsoops.core.CheckResult;
import net.dnsoops.core.CoreSink;
import org.xbill.DNS.Name;

/**
 * The core as an input's test sees it: admission by a rule the test gives, and a record of what
 * the input reported. Subclass to observe the other {@link CoreSink} calls.
 */
public class FakeCore implements CoreSink {
    /** Decides a NOTIFY's admission as the real core would from its config. */
    public interface Rule {
        Admission admit(Name zone, InetAddress source, Name verifiedKey);
    }

    /** One accepted NOTIFY as the input reported it. */
    public record Notified(Name zone, InetAddress source, String transport) {
    }

    /** The Extended DNS Errors of one answer as an input reported them. */
    public record Ede(String via, String server, Name zone, Map<Integer, String> codes) {
    }

    private final Rule rule;
    public final List<Notified> notifies = new CopyOnWriteArrayList<>();
    public final List<CheckResult> checks = new CopyOnWriteArrayList<>();
    public final List<Ede> edes = new CopyOnWriteArrayList<>();

    /** Knows no zone: every NOTIFY is NOTAUTH. */
    public FakeCore() {
        this((zone, source, key) -> Admission.NOT_CONFIGURED);
    }

    public FakeCore(Rule rule) {
        this.rule = rule;
    }

    /** Accepts NOTIFYs for {@code zone} from anyone; other zones are not configured. */
    public static FakeCore accepting(String zone) {
        Name n = Name.fromConstantString(zone);
        return new FakeCore((z, source, key) -> z.equals(n) ? Admission.ACCEPTED : Admission.NOT_CONFIGURED);
    }

    /** The recorded NOTIFYs, each as the test wants to read it. */
    public List<String> notified(Function<Notified, String> format) {
        return notifies.stream().map(format).toList();
    }

    @Override
    public Admission admitNotify(Name zone, InetAddress source, Name verifiedKey) {
        return rule.admit(zone, source, verifiedKey);
    }

    @Override
    public void notifyReceived(Name zone, InetAddress source, String transport) {
        notifies.add(new Notified(zone, source, transport));
    }

    @Override
    public void extendedErrors(String via, String server, Name zone, Map<Integer, String> codes) {
        edes.add(new Ede(via, server, zone, Map.copyOf(codes)));
    }

    @Override
    public void checkFinished(CheckResult result) {
        checks.add(result);
    }
}
