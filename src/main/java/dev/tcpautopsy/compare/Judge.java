package dev.tcpautopsy.compare;

import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.TerminationClass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The verdict on a connection with both views: what the comparison proves comes first, each point's own
 * verdict (an inference from TTLs and timing) after it.
 * <ol>
 *   <li>A RST that appeared in between and after which its receiver sent nothing but RSTs ended the
 *       connection: {@code MIDDLEBOX_RST} by the middlebox ({@code REFUSED} when it answered a SYN).</li>
 *   <li>The last segments of a direction left their sender's side and never arrived: {@code MIDDLEBOX_DROP}
 *       by the middlebox, or the sender's side's {@code HANDSHAKE_TIMEOUT} or {@code IDLE_TIMEOUT} with the
 *       middlebox as {@code by}.</li>
 *   <li>Otherwise the verdict of the point nearer to whoever ended it; a point's middlebox verdict that the
 *       comparison refutes (nothing appeared, nothing was lost) gives way to the other's.</li>
 * </ol>
 */
final class Judge {
    private static final int FRAMES_NAMED = 6;

    private final Conn a, b;
    private final Outcome o;
    private final boolean clientOnA;
    private final ClockFit clock;
    private final List<List<Seg>> atA, atB;

    /**
     * @param a   the connection at A, or null when B alone saw it; {@code b} likewise
     * @param atA its segments at A by direction (A's names), {@code atB} at B
     */
    Judge(Conn a, Conn b, List<List<Seg>> atA, List<List<Seg>> atB, Outcome o, boolean clientOnA, ClockFit clock) {
        this.a = a;
        this.b = b;
        this.atA = atA;
        this.atB = atB;
        this.o = o;
        this.clientOnA = clientOnA;
        this.clock = clock;
    }

    Comparison.Verdict verdict() {
        Comparison.Verdict base = base();
        List<Outcome.Miss> rsts = o.appeared().stream().filter(m -> m.seg().has(TcpSegment.RST))
                .sorted(Comparator.comparingLong(this::timeAtA)).toList();
        if (!rsts.isEmpty()) {
            Outcome.Miss first = rsts.get(0);
            String made = rstText(first, rsts.size());
            if (ended(first)) {
                boolean refused = answeredSyn(first);
                String lostSyn = refused ? lostSynText() : "";
                return new Comparison.Verdict(refused ? TerminationClass.REFUSED : TerminationClass.MIDDLEBOX_RST,
                        By.MIDDLEBOX, made + lostSyn + ".");
            }
            return new Comparison.Verdict(base.cls(), base.by(), then(base.reason(), capital(made)
                    + "; the " + Describe.receiver(first.dir()) + " went on after it."));
        }
        int dir = lastLostDirection();
        if (dir >= 0) {
            return dropped(dir);
        }
        return base;
    }

    private Comparison.Verdict dropped(int dir) {
        boolean senderAtA = (dir == 0) == clientOnA;
        Conn side = senderAtA && a != null || b == null ? a : b;
        TerminationClass own = side.view.cls();
        List<Outcome.Miss> run = o.lost().stream().filter(m -> m.dir() == dir && m.seg().tsNanos >= o.lastRunStart[dir])
                .toList();
        boolean syn = run.stream().anyMatch(m -> m.seg().has(TcpSegment.SYN));
        TerminationClass cls = own == TerminationClass.HANDSHAKE_TIMEOUT || own == TerminationClass.IDLE_TIMEOUT
                || own == TerminationClass.MIDDLEBOX_DROP ? own
                : syn ? TerminationClass.HANDSHAKE_TIMEOUT : TerminationClass.MIDDLEBOX_DROP;
        StringBuilder r = new StringBuilder(lostText(dir, run));
        int other = 1 - dir;
        if (o.lastLost[other]) {
            List<Outcome.Miss> more = o.lost().stream()
                    .filter(m -> m.dir() == other && m.seg().tsNanos >= o.lastRunStart[other]).toList();
            r.append("; so did the ").append(Describe.sender(other)).append("'s last ").append(count(more.size()))
                    .append(" (").append(frames(more)).append(')');
        }
        r.append(". At ").append(side == a ? "A" : "B").append(", the ").append(Describe.sender(dir))
                .append("'s side, it was judged ").append(own).append(": ").append(side.view.reason());
        return new Comparison.Verdict(cls, By.MIDDLEBOX, r.toString());
    }

    private String lostText(int dir, List<Outcome.Miss> run) {
        boolean fromA = run.get(0).atA();
        return "the " + Describe.sender(dir) + "'s last " + count(run.size()) + " (" + whats(run) + "; "
                + frames(run) + ") left " + (fromA ? "A" : "B") + " and never reached " + (fromA ? "B" : "A")
                + ": dropped between the two points";
    }

    /** A point's reason followed by more: a full stop between them. */
    private static String then(String reason, String more) {
        return reason.endsWith(".") ? reason + " " + more : reason + ". " + more;
    }

    private String rstText(Outcome.Miss first, int n) {
        String at = first.atA() ? "A" : "B", other = first.atA() ? "B" : "A";
        boolean seenThere = first.atA() ? b != null : a != null;
        String s = "the RST that reached " + at + " at frame " + first.seg().frame + ", towards the "
                + Describe.receiver(first.dir()) + " in the " + Describe.sender(first.dir()) + "'s name, never passed "
                + other + (seenThere ? " (" + other + " saw the connection, and no such segment)" : " (" + other
                + " never saw this connection)") + ": it was made between the two points";
        return n > 1 ? s + " (" + (n - 1) + " more RST" + (n > 2 ? "s" : "") + " likewise)" : s;
    }

    private String lostSynText() {
        List<Outcome.Miss> syns = o.lost().stream().filter(m -> m.seg().has(TcpSegment.SYN)).toList();
        if (syns.isEmpty()) {
            return "";
        }
        boolean fromA = syns.get(0).atA();
        return ", answering the " + Describe.sender(syns.get(0).dir()) + "'s SYN, which never reached "
                + (fromA ? "B" : "A") + " (" + frames(syns) + ")";
    }

    /** Whether the RST's receiver sent nothing but RSTs after it, where the RST arrived. */
    private boolean ended(Outcome.Miss rst) {
        List<Seg> back = (rst.atA() ? atA : atB).get(1 - rst.dir());
        for (Seg s : back) {
            if (s.tsNanos > rst.seg().tsNanos && !s.has(TcpSegment.RST)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the RST came before any SYN-ACK of its claimed sender, where it arrived. */
    private boolean answeredSyn(Outcome.Miss rst) {
        for (Seg s : (rst.atA() ? atA : atB).get(rst.dir())) {
            if (s.tsNanos < rst.seg().tsNanos && s.has(TcpSegment.SYN) && s.has(TcpSegment.ACK)) {
                return false;
            }
        }
        for (Seg s : (rst.atA() ? atA : atB).get(1 - rst.dir())) {
            if (s.tsNanos < rst.seg().tsNanos && s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK)) {
                return true;
            }
        }
        return false;
    }

    /** The direction whose last segments were lost, the earlier run first; -1 for none. */
    private int lastLostDirection() {
        int best = -1;
        long bestAt = Long.MAX_VALUE;
        for (int dir = 0; dir < 2; dir++) {
            if (!o.lastLost[dir]) {
                continue;
            }
            boolean senderAtA = (dir == 0) == clientOnA;
            long at = senderAtA ? o.lastRunStart[dir] : o.lastRunStart[dir] - clock.offsetAt(o.lastRunStart[dir]);
            if (at < bestAt) {
                best = dir;
                bestAt = at;
            }
        }
        return best;
    }

    /** The point's own verdict to start from (see the class comment, rule 3). */
    private Comparison.Verdict base() {
        if (a == null || b == null) {
            Conn c = a == null ? b : a;
            return new Comparison.Verdict(c.view.cls(), c.view.by(), c.view.reason());
        }
        Comparison.View va = a.view, vb = b.view;
        if (va.cls() == vb.cls() && va.by() == vb.by()) {
            return new Comparison.Verdict(va.cls(), va.by(), then(va.reason(), refuted(va)).trim());
        }
        boolean useB = score(vb, false) > score(va, true);
        Comparison.View v = useB ? vb : va, other = useB ? va : vb;
        return new Comparison.Verdict(v.cls(), v.by(), then(v.reason() + " (as " + (useB ? "B" : "A") + " saw it; "
                + (useB ? "A" : "B") + " judged " + other.cls() + " by " + other.by().wire() + ")", refuted(v)).trim());
    }

    private int score(Comparison.View v, boolean atA) {
        int s = 0;
        boolean clientHere = clientOnA == atA;
        if (v.by() == By.CLIENT && clientHere || v.by() == By.SERVER && !clientHere) {
            s += 2;
        }
        if ((v.cls() == TerminationClass.MIDDLEBOX_RST || v.cls() == TerminationClass.MIDDLEBOX_DROP) && o.identical()) {
            s -= 3;
        }
        if (v.cls() == TerminationClass.UNCLASSIFIED || v.cls() == TerminationClass.OPEN_AT_END) {
            s -= 1;
        }
        return s;
    }

    private String refuted(Comparison.View v) {
        if (v.cls() == TerminationClass.MIDDLEBOX_RST && o.appeared().isEmpty()) {
            return "Every RST passed both points: none was made between them.";
        }
        if (!o.lost().isEmpty()) {
            return (o.lost().size() == 1 ? "One segment" : o.lost().size() + " segments") + " lost between the points "
                    + (o.lost().size() == 1 ? "was" : "were")
                    + " sent again and got through.";
        }
        return "";
    }

    private long timeAtA(Outcome.Miss m) {
        return m.atA() ? m.seg().tsNanos : m.seg().tsNanos - clock.offsetAt(m.seg().tsNanos);
    }

    static String frames(List<Outcome.Miss> misses) {
        List<String> f = new ArrayList<>();
        for (Outcome.Miss m : misses) {
            if (f.size() == FRAMES_NAMED) {
                f.add("and " + (misses.size() - FRAMES_NAMED) + " more");
                break;
            }
            f.add(Long.toString(m.seg().frame));
        }
        String at = misses.isEmpty() || misses.get(0).atA() ? "A" : "B";
        return at + (misses.size() == 1 ? " frame " : " frames ") + String.join(", ", f);
    }

    /** {@code SYN} for one segment; {@code 5 with data, a RST, 4 of them retransmissions} for several. */
    private static String whats(List<Outcome.Miss> run) {
        if (run.size() == 1) {
            return Describe.what(run.get(0).seg(), run.get(0).retransmission());
        }
        java.util.Map<String, Integer> kinds = new java.util.LinkedHashMap<>();
        for (String k : List.of("SYN", "SYN-ACK", "with data", "FIN", "ACK", "RST")) {
            kinds.put(k, 0);
        }
        for (Outcome.Miss m : run) {
            Seg s = m.seg();
            String k = s.has(TcpSegment.SYN) ? (s.has(TcpSegment.ACK) ? "SYN-ACK" : "SYN") : s.has(TcpSegment.RST) ? "RST"
                    : s.len > 0 ? "with data" : s.has(TcpSegment.FIN) ? "FIN" : "ACK";
            kinds.merge(k, 1, Integer::sum);
        }
        long again = run.stream().filter(Outcome.Miss::retransmission).count();
        List<String> parts = new ArrayList<>();
        kinds.forEach((k, n) -> {
            if (n > 0) {
                parts.add(k.equals("with data") ? n + " with data" : n == 1 ? "a " + k : n + " " + k + "s");
            }
        });
        return String.join(", ", parts) + (again == 0 ? "" : again == run.size() ? ", all retransmissions"
                : ", " + again + " of them retransmissions");
    }

    static String count(long n) {
        return n == 1 ? "segment" : n + " segments";
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
