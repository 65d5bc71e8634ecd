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
        AppMessage alert = alert(cl, sv);
        TlsFacts tls = alert == null && (n == null || n.sniLen == 0 && n.alpnLen == 0) ? null
                : new TlsFacts(n == null ? null : TlsNames.string(n.sni, n.sniLen, n.sniCut),
                        n == null ? null : TlsNames.string(n.alpn, n.alpnLen, n.alpnCut), alert);
        if (c.protocol == Proto.NONE && tls == null) {
            return c.cutFrame < 0 ? AppFacts.NONE : new AppFacts(null, null, null, null, null, false, false, null,
                    c.cutFrame);
        }
        Side req = has(cl, Msg.REQUEST) ? cl : has(sv, Msg.REQUEST) ? sv : null;
        Side rsp = has(sv, Msg.RESPONSE) ? sv : has(cl, Msg.RESPONSE) ? cl : null;
        Side bye = goodbyeSide(cl, sv);
        boolean owed = c.pending > 0;
        boolean lost = owed && sv.closeFrame >= 0 && (cl.closeFrame < 0 || cl.closeFrame > sv.closeFrame);
        return new AppFacts(Proto.name(c.protocol), text(req), text(rsp), c.requested ? owed : null,
                goodbye(bye), bye == sv && ((bye.goodbye == Side.LAST_TEXT ? bye.textFlags : bye.ctlFlags)
                        & Msg.REFUSAL) != 0, lost, tls, c.cutFrame);
    }

    private static boolean has(Side s, int flag) {
        return s.textFrame >= 0 && (s.textFlags & flag) != 0;
    }

    private static String from(Side s) {
        return s.client ? "client" : "server";
    }

    private static AppMessage text(Side s) {
        return s == null ? null : new AppMessage(s.textFrame, from(s), s.textString());
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

    /** The later alert of the two sides. */
    private static AppMessage alert(Side a, Side b) {
        Side s = a.ctlKind != ALERT ? b : b.ctlKind != ALERT || a.ctlFrame >= b.ctlFrame ? a : b;
        return s.ctlKind != ALERT ? null : new AppMessage(s.ctlFrame, from(s), control(ALERT, s.ctlA, s.ctlB));
    }

    /** The text of a control message. */
    static String control(int kind, int a, int b) {
        if (kind == ALERT) {
            return a < 0 ? "encrypted alert" : Names.alertLevel(a) + " " + Names.alert(b);
        }
        return "GOAWAY " + Names.h2Error(a) + " (last stream " + b + ")";
    }
}
