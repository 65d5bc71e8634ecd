package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.SideFacts;

/**
 * Which flows wait for the end of the capture before their verdict: those whose verdict may rest on
 * what other flows say about a host. A RST is judged by its sender's usual TTL; when the sender sent
 * nothing else in this flow, that usual TTL comes from its other flows, possibly later ones. A
 * handshake that never completed is judged by where the capture was taken, which all flows decide.
 * Everything else is judged at once, so that memory stays bounded.
 */
final class DeferralRule {
    private DeferralRule() {
    }

    static boolean needsWholeCapture(FlowFacts f) {
        return rstWithoutOwnTtl(f.client()) || rstWithoutOwnTtl(f.server()) || !f.handshakeComplete()
                && f.handshakeSeen();
    }

    private static boolean rstWithoutOwnTtl(SideFacts s) {
        return s.rstCount() > 0 && s.packets() - s.rstCount() <= 0;
    }
}
