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
        AppMessage req = app.lastRequest();
        if (bye != null && !out.reason().contains(quoted(bye.text()))) {
            out.also("before closing, the " + bye.from() + " said " + quoted(bye.text()) + " (frame " + bye.frame() + ")"
                    + answering(bye, app.lastResponse(), req));
            out.frame(bye.frame(), "the " + bye.from() + "'s last words: " + bye.text());
        }
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

    /**
     * ", in answer to the client's "QUIT" (frame 27)" when the goodbye answered the peer's last request: a
     * QUIT's reply ("+OK", "221"), a refused password or a refused ClientHello say little without it.
     */
    private static String answering(AppMessage bye, AppMessage response, AppMessage req) {
        if (!bye.equals(response) || req == null || req.from().equals(bye.from()) || req.frame() > bye.frame()) {
            return "";
        }
        return ", in answer to the " + req.from() + "'s " + quoted(req.text()) + " (frame " + req.frame() + ")";
    }

    /** A message's words as a reason quotes them. */
    static String quoted(String text) {
        return "\"" + text + "\"";
    }
}
