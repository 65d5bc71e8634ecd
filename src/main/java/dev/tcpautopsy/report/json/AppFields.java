package dev.tcpautopsy.report.json;

import dev.tcpautopsy.model.AppRecord;

import java.io.IOException;

/** A flow's {@code app} object (the contract's <em>Application context</em>); fields that do not apply are null. */
final class AppFields {
    private static final JsonName N_APP = new JsonName("app");
    private static final JsonName N_PROTOCOL = new JsonName("protocol");
    private static final JsonName N_LAST_REQUEST = new JsonName("lastRequest");
    private static final JsonName N_LAST_RESPONSE = new JsonName("lastResponse");
    private static final JsonName N_UNANSWERED = new JsonName("unanswered");
    private static final JsonName N_GOODBYE = new JsonName("goodbye");
    private static final JsonName N_TLS = new JsonName("tls");
    private static final JsonName N_SNI = new JsonName("sni");
    private static final JsonName N_ALPN = new JsonName("alpn");
    private static final JsonName N_ALERT = new JsonName("alert");
    private static final JsonName N_NOTE = new JsonName("note");
    private static final JsonName N_FRAME = new JsonName("frame");
    private static final JsonName N_FROM = new JsonName("from");
    private static final JsonName N_TEXT = new JsonName("text");

    private AppFields() {
    }

    static void app(AppRecord a, JsonOut g) throws IOException {
        if (!a.present()) {
            g.name(N_APP).nul();
            return;
        }
        g.name(N_APP).startObject();
        g.name(N_PROTOCOL).text(a.protocol());
        message(N_LAST_REQUEST, a.lastRequest(), g);
        message(N_LAST_RESPONSE, a.lastResponse(), g);
        if (a.unansweredKnown()) {
            g.name(N_UNANSWERED).bool(a.unanswered());
        } else {
            g.name(N_UNANSWERED).nul();
        }
        message(N_GOODBYE, a.goodbye(), g);
        if (!a.hasTls()) {
            g.name(N_TLS).nul();
        } else {
            g.name(N_TLS).startObject();
            g.name(N_SNI).text(a.sni());
            g.name(N_ALPN).text(a.alpn());
            message(N_ALERT, a.alert(), g);
            g.endObject();
        }
        g.name(N_NOTE).text(a.note());
        g.endObject();
    }

    private static void message(JsonName field, AppRecord.Message m, JsonOut g) throws IOException {
        if (!m.present()) {
            g.name(field).nul();
            return;
        }
        g.name(field).startObject();
        g.name(N_FRAME).number(m.frame());
        g.name(N_FROM).text(m.from());
        g.name(N_TEXT).text(m.text());
        g.endObject();
    }
}
