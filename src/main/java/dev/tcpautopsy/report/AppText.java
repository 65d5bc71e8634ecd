package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AppContext;

import java.util.ArrayList;
import java.util.List;

/** How the formats spell a flow's application context: labelled lines, one line for a table, a note for a frame. */
public final class AppText {
    private AppText() {
    }

    /** A labelled line. */
    public record Line(String label, String value) {
    }

    /** Its lines, in the order they matter: protocol, last request, last response, goodbye, TLS, note. */
    public static List<Line> lines(AppContext a) {
        if (a == null) {
            return List.of();
        }
        List<Line> out = new ArrayList<>();
        if (a.protocol() != null) {
            out.add(new Line("Application", a.protocol()));
        }
        if (a.lastRequest() != null) {
            out.add(new Line("Last request", message(a.lastRequest()) + (Boolean.TRUE.equals(a.unanswered()) ? ", never answered" : "")));
        }
        if (a.lastResponse() != null) {
            out.add(new Line("Last response", message(a.lastResponse())));
        }
        if (a.goodbye() != null) {
            out.add(new Line("Goodbye", message(a.goodbye())));
        }
        if (a.tls() != null) {
            String tls = (a.tls().sni() == null ? "" : "SNI " + a.tls().sni())
                    + (a.tls().alpn() == null ? "" : (a.tls().sni() == null ? "" : ", ") + "ALPN " + a.tls().alpn());
            if (!tls.isEmpty()) {
                out.add(new Line("TLS", tls));
            }
            if (a.tls().alert() != null) {
                out.add(new Line("TLS alert", message(a.tls().alert())));
            }
        }
        if (a.note() != null) {
            out.add(new Line("Application note", a.note()));
        }
        return out;
    }

    /** One line for a table: the protocol, the last request (and whether it was answered), the goodbye; null when unknown. */
    public static String summary(AppContext a) {
        if (a == null || a.protocol() == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(a.protocol());
        if (a.lastRequest() != null) {
            sb.append(": ").append(a.lastRequest().text()).append(Boolean.TRUE.equals(a.unanswered()) ? " (unanswered)" : "");
        }
        if (a.goodbye() != null) {
            sb.append("; goodbye from the ").append(a.goodbye().from()).append(": ").append(a.goodbye().text());
        }
        return sb.toString();
    }

    /** The messages that begin in {@code frame}, for a ladder: e.g. {@code request: GET / HTTP/1.1}; null when none. */
    public static String at(AppContext a, long frame) {
        if (a == null) {
            return null;
        }
        List<String> notes = new ArrayList<>();
        note(notes, "request", a.lastRequest(), frame);
        note(notes, "response", a.lastResponse(), frame);
        note(notes, "goodbye", a.goodbye(), frame);
        if (a.tls() != null) {
            note(notes, "TLS alert", a.tls().alert(), frame);
        }
        return notes.isEmpty() ? null : String.join("; ", notes);
    }

    private static void note(List<String> notes, String what, AppContext.AppMessage m, long frame) {
        if (m != null && m.frame() == frame && !notes.contains(what + ": " + m.text())) {
            notes.add(what + ": " + m.text());
        }
    }

    private static String message(AppContext.AppMessage m) {
        return m.text() + " (frame " + m.frame() + ", from the " + m.from() + ")";
    }
}
