package dev.tcpautopsy.app;

/** Makes the immutable {@link AppFacts} of a tracker: the only place strings are made. */
final class FactsOf {
    /** Control message kinds ({@link Side#ctlKind}). */
    static final int ALERT = 1, GOAWAY = 2;

    private FactsOf() {
    }

    static AppFacts of(AppTracker c) {
        Side cl = c.client, sv = c.server;
        TlsNames n = c.names;
        AppMessage alert = c.alertFrame < 0 ? null : new AppMessage(c.alertFrame, c.alertClient ? "client" : "server",
                control(ALERT, c.alertLevel, c.alertDesc));
        TlsFacts tls = alert == null && (n == null || n.sniLen == 0 && n.alpnLen == 0) ? null
                : new TlsFacts(n == null ? null : TlsNames.string(n.sni, n.sniLen, n.sniCut),
                        n == null ? null : TlsNames.string(n.alpn, n.alpnLen, n.alpnCut), alert);
        if (c.protocol == Proto.NONE && tls == null) {
            return c.cutFrame < 0 ? AppFacts.NONE : new AppFacts(null, null, null, null, null, false, false, null,
                    c.cutFrame);
        }
        AppMessage req = counted(cl, Msg.REQUEST), rsp = counted(sv, Msg.RESPONSE);
        req = req != null ? req : counted(sv, Msg.REQUEST);
        rsp = rsp != null ? rsp : counted(cl, Msg.RESPONSE);
        Side bye = goodbyeSide(cl, sv);
        boolean owed = c.owed.pending > 0;
        Boolean unanswered = !c.owed.requested || owed && c.owed.opaque ? null : owed;
        boolean lost = Boolean.TRUE.equals(unanswered) && sv.closeFrame >= 0
                && (cl.closeFrame < 0 || cl.closeFrame > sv.closeFrame);
        return new AppFacts(Proto.name(c.protocol), req, rsp, unanswered,
                goodbye(bye), bye == sv && ((bye.goodbye == Side.LAST_TEXT ? bye.textFlags : bye.ctlFlags)
                        & Msg.REFUSAL) != 0, lost, tls, c.cutFrame);
    }

    /** The side's last request or answer when it is a {@code flag} (a request or a response), else {@code null}. */
    private static AppMessage counted(Side s, int flag) {
        return switch (s.counted) {
            case Side.COUNTED_TEXT -> (s.textFlags & flag) == 0 ? null : text(s);
            case Side.COUNTED_KEPT -> (s.keptFlags & flag) == 0 ? null : new AppMessage(s.keptFrame, from(s), text(s.kept, s.keptLen, s.keptCut));
            case Side.COUNTED_CONTROL -> (s.keptFlags & flag) == 0 ? null
                    : new AppMessage(s.keptFrame, from(s), control(s.keptKind, s.keptA, s.keptB));
            default -> null;
        };
    }

    private static String from(Side s) {
        return s.client ? "client" : "server";
    }

    private static AppMessage text(Side s) {
        return new AppMessage(s.textFrame, from(s), text(s.text, s.textLen, s.truncated));
    }

    /** A text buffer's {@code len} bytes, "..." after them when {@code cut}. */
    static String text(byte[] b, int len, boolean cut) {
        StringBuilder sb = new StringBuilder(len + 3);
        for (int i = 0; i < len; i++) {
            sb.append((char) b[i]);
        }
        if (cut) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static Side goodbyeSide(Side a, Side b) {
        if (a.goodbye == Side.LAST_NONE) {
            return b.goodbye == Side.LAST_NONE ? null : b;
        }
        return b.goodbye == Side.LAST_NONE || a.closeFrame <= b.closeFrame ? a : b;
    }

    private static AppMessage goodbye(Side s) {
        if (s == null) {
            return null;
        }
        return s.goodbye == Side.LAST_TEXT ? text(s)
                : new AppMessage(s.ctlFrame, from(s), control(s.ctlKind, s.ctlA, s.ctlB));
    }

    /** The text of a control message. */
    static String control(int kind, int a, int b) {
        if (kind == ALERT) {
            return a < 0 ? "encrypted alert" : Names.alertLevel(a) + " " + Names.alert(b);
        }
        return "GOAWAY " + Names.h2Error(a) + " (last stream " + b + ")";
    }
}
