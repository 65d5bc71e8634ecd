package dev.tcpautopsy.classify;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.HostContext;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.Termination;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Decides how a finished connection ended, per the termination contract
 * ({@code shared/spec/terminations.md}): a pure function of the flow's facts and of what the capture
 * says about its hosts (TTL baselines, where the capture was taken). The classes are tried in the
 * contract's order and the first that fits wins; each test is one small method.
 */
public final class TerminationClassifier {
    /** The contract's classes in precedence order; {@code UNCLASSIFIED} when none fits. */
    private static final List<Function<FlowView, Verdict>> ORDER = List.of(
            Handshakes::refused,
            Handshakes::timeout,
            IdleEnding::test,
            Middlebox::rst,
            Middlebox::drop,
            ZeroWindow::stall,
            Resets::afterClose,
            Resets::unreadData,
            Resets::abort,
            Closes::orderly,
            Closes::openAtEnd);

    private final long idleNanos;

    /** @param idleThreshold gaps at or above this are idle gaps ({@code --idle-threshold}) */
    public TerminationClassifier(Duration idleThreshold) {
        this.idleNanos = idleThreshold.toNanos();
    }

    /** The verdict on one finished flow; {@code hosts} may be {@link HostContext#NONE}. Never null, never throws on odd facts. */
    public Termination classify(FlowFacts f, HostContext hosts) {
        FlowView v = new FlowView(f, hosts, idleNanos);
        Verdict verdict = null;
        for (int i = 0; i < ORDER.size(); i++) {
            verdict = ORDER.get(i).apply(v);
            if (verdict != null) {
                break;
            }
        }
        if (verdict == null) {
            verdict = Closes.unclassified(v);
        }
        Earlier.mention(v, verdict);
        AppClause.mention(v, verdict);
        return verdict.build(v.filter(), Tags.of(v));
    }

    /**
     * Packets with a host's most common TTL after which its baseline is taken as settled: more of its
     * traffic would change only the count a reason quotes, not the TTL compared with.
     */
    public static final long SETTLED_SAMPLES = 1_000;

    /**
     * Whether the verdict may rest on other flows of the capture that have not said enough yet, so that
     * it should wait for the end of the capture: a RST whose sender sent nothing else in this flow (its
     * TTL is judged against that host's other flows), and a handshake that never completed (judged by
     * where the capture was taken), unless the TTL baselines of the hosts concerned are settled
     * ({@link #SETTLED_SAMPLES}) already: then the verdict is given now. Why: on a capture of many short
     * connections, a third of them are refused or unanswered, and holding each whole until 2,000 more
     * had waited made the garbage collector copy them (bench/results/design-choices.md).
     */
    public static boolean needsWholeCapture(FlowFacts f, HostContext hosts) {
        SideFacts c = f.client(), s = f.server();
        boolean handshake = f.handshakeSeen() && !f.handshakeComplete();
        // the hosts each verdict reads: a lone RST's sender (Forgery); the server for a handshake that
        // timed out, and the client too when the server sent SYN-ACKs (Handshakes)
        boolean client = rstWithoutOwnTtl(c) || handshake && s.synCount() > 0;
        boolean server = rstWithoutOwnTtl(s) || handshake;
        return client && thin(hosts, c) || server && thin(hosts, s);
    }

    private static boolean thin(HostContext hosts, SideFacts s) {
        return hosts.ttlSamples(s.ip()) < SETTLED_SAMPLES;
    }

    private static boolean rstWithoutOwnTtl(SideFacts s) {
        return s.rstCount() > 0 && s.packets() - s.rstCount() <= 0;
    }
}
