package dev.tcpautopsy.analysis;

import dev.tcpautopsy.app.AppFacts;
import dev.tcpautopsy.app.AppMessage;
import dev.tcpautopsy.app.TlsFacts;
import dev.tcpautopsy.model.AppContext;

/** The model's {@link AppContext} from what the application tracker read. */
final class AppContexts {

    private AppContexts() {
    }

    /**
     * {@code null} when the payload was not read, or held nothing recognised and nothing was cut: a flow
     * whose bytes are no protocol known says nothing rather than an empty object.
     */
    static AppContext of(AppFacts a) {
        if (a == null || a.protocol() == null && a.cutFrame() < 0) {
            return null;
        }
        String note = a.cutFrame() < 0 ? null
                : "the capture's snapshot length cut the payload from frame " + a.cutFrame()
                        + " on: later messages are not decoded";
        TlsFacts t = a.tls();
        AppContext.Tls tls = t == null ? null : new AppContext.Tls(t.sni(), t.alpn(), message(t.alert()));
        // no request read: none was in flight; a request read whose answer the wire cannot tell: unknown
        Boolean unanswered = a.lastRequest() == null ? Boolean.FALSE : a.unanswered();
        return new AppContext(a.protocol(), message(a.lastRequest()), message(a.lastResponse()),
                unanswered, message(a.goodbye()), tls, note);
    }

    private static AppContext.AppMessage message(AppMessage m) {
        return m == null ? null : new AppContext.AppMessage(m.frame(), m.from(), m.text());
    }
}
