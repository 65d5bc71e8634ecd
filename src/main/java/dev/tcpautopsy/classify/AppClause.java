package dev.tcpautopsy.classify;

import dev.tcpautopsy.app.AppFacts;
import dev.tcpautopsy.app.AppMessage;

/**
 * What the applications said, where it tells the story the TCP ending leaves open (spec: <em>Application
 * context</em>): the request a close left without an answer, and what an endpoint said right before it
 * closed. Said once, after the verdict's own sentence, and only what the decoded messages show.
 */
final class AppClause {
    private AppClause() {
    }

    static void mention(FlowView v, Verdict out) {
        AppFacts app = v.f.app();
        if (app == null || app.protocol() == null) {
            return;
        }
        AppMessage bye = app.goodbye();
        if (bye != null && !out.reason().contains(quoted(bye.text()))) {
            out.also("before closing, the " + bye.from() + " said " + quoted(bye.text()) + " (frame " + bye.frame() + ")");
            out.frame(bye.frame(), "the " + bye.from() + "'s last words: " + bye.text());
        }
        AppMessage req = app.lastRequest();
        if (req == null || !Boolean.TRUE.equals(app.unanswered())) {
            return;
        }
        String asked = "the " + req.from() + "'s request " + quoted(req.text()) + " (frame " + req.frame() + ")";
        if (app.requestLost()) {
            out.also(asked + " was in flight when the server closed: it was never answered");
        } else {
            out.also(asked + " was still unanswered when the connection ended");
        }
        out.frame(req.frame(), "the last request, unanswered");
    }

    /** A message's words as a reason quotes them. */
    static String quoted(String text) {
        return "\"" + text + "\"";
    }
}
