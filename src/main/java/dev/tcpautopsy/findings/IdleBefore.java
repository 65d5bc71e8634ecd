package dev.tcpautopsy.findings;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.QuietFacts;
import dev.tcpautopsy.flow.SideFacts;

/**
 * How long a connection had been quiet when a timer ended it, from its {@link QuietFacts}, whatever the
 * idle threshold: an endpoint's timer counts from the last data either way (keep-alives do not reset an
 * application's timer), a middlebox's from the last segment of any kind.
 */
final class IdleBefore {
    private IdleBefore() {
    }

    /**
     * The data-idle time before the connection's first FIN or RST, by the side that sent it; -1 when no
     * data came before it. Two closes are measured from the closer's own data before a pause, not from the
     * last data: a goodbye (the closer's message after a pause that began with its own data, then its close
     * at once: PostgreSQL's FATAL 57P05) and a close that crossed the peer's data in flight ({@code crossed}:
     * the keep-alive race, where the peer's request arrived as the timer fired).
     */
    static long close(QuietFacts q, boolean crossed) {
        if (q.closeFrame() == 0 || q.closeDataIdle() < 0) {
            return -1;
        }
        long since = q.closeDataIdle();
        boolean closer = q.closeFromClient();
        boolean pauseAfterCloser = q.runGap() >= 0 && q.runAfterClient() == closer;
        if (q.lastDataFromClient() == closer) {
            return since < QuietFacts.RUN_BREAK_NANOS && pauseAfterCloser ? q.runGap() + since : since;
        }
        return crossed && pauseAfterCloser ? q.runGap() + since : since;
    }

    /**
     * The idle gap proper right before a path stopped answering: the latest one, when it began after the
     * silent side's last segment (so that the silence followed it); -1 otherwise.
     */
    static long drop(FlowFacts f) {
        QuietFacts q = f.quiet();
        if (q.lastIdle() < 0) {
            return -1;
        }
        SideFacts silent = silentSide(f);
        if (silent == null) {
            return q.lastIdle();
        }
        return q.lastIdleAfter() >= silent.lastFrame() ? q.lastIdle() : -1;
    }

    /** The side whose peer was left unanswered at the end; {@code null} when neither was. */
    static SideFacts silentSide(FlowFacts f) {
        if (f.client().unansweredTail() > 0 && f.server().unansweredTail() == 0) {
            return f.server();
        }
        if (f.server().unansweredTail() > 0 && f.client().unansweredTail() == 0) {
            return f.client();
        }
        return null;
    }
}
