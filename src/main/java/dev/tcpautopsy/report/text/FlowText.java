package dev.tcpautopsy.report.text;

import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.StateChange;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.AppText;
import dev.tcpautopsy.report.Errno;
import dev.tcpautopsy.report.Texts;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One connection for the terminal ({@code tcpautopsy show}): verdict, reason, what the
 * applications saw, evidence with its Wireshark filter, state transitions, and the last packets
 * as a text ladder diagram. Plain ASCII so that it pastes anywhere.
 */
public final class FlowText {
    /** Width of the ladder between the two lifelines. */
    static final int LANE = 56;

    private FlowText() {
    }

    public static void write(String file, Flow f, PrintWriter w) {
        Termination t = f.termination();
        w.printf("%s  stream %d  %s -> %s%n", file, f.stream(), f.client(), f.server());
        w.printf("frames %d-%d, %s to %s (%s)%s%n", f.firstFrame(), f.lastFrame(), Texts.instant(f.start()),
                Texts.instant(f.end()), Units.duration(f.durationSeconds()),
                f.handshakeSeen() ? "" : ", no handshake seen");
        w.println();
        w.printf("verdict   %s by %s%n", t.cls().name(), t.by().wire());
        w.printf("          %s%n", Texts.verdict(f));
        w.printf("reason    %s%n", t.reason());
        if (!t.tags().isEmpty()) {
            w.printf("tags      %s%n", t.tags().stream().map(Tag::name).collect(Collectors.joining(", ")));
        }
        if (t.appView() != null) {
            w.printf("client    saw %s%n", Errno.describe(t.appView().client()));
            w.printf("server    saw %s%n", Errno.describe(t.appView().server()));
        }
        for (AppText.Line l : AppText.lines(f.app())) {
            w.printf("%-9s %s%n", l.label().equals("Application") ? "app" : l.label().toLowerCase(java.util.Locale.ROOT)
                    .replace("last ", "").replace("application note", "app note"), l.value());
        }
        w.printf("wireshark %s%n", t.filter());
        if (!t.evidence().isEmpty()) {
            w.println();
            w.println("evidence");
            for (Evidence e : t.evidence()) {
                w.printf("  frame %-8d %s%n", e.frame(), e.note());
                for (String line : e.headerDump()) {
                    w.printf("                 %s%n", line);
                }
            }
        }
        w.println();
        w.printf("sent      client %s; server %s%n", side(f.fromClient()), side(f.fromServer()));
        if (f.longestIdle() != null) {
            w.printf("idle      longest gap %s, between frames %d and %d%n", Units.duration(f.longestIdle().seconds()),
                    f.longestIdle().afterFrame(), f.longestIdle().beforeFrame());
        }
        if (f.history() != null && !f.history().isEmpty()) {
            w.printf("history   %s%n", f.history());
        }
        if (!f.transitions().isEmpty()) {
            w.println();
            w.println("state transitions");
            for (StateChange s : f.transitions()) {
                w.printf("  frame %-8d %-6s %s -> %s%n", s.frame(), s.side(), s.from(), s.to());
            }
        }
        if (!f.lastPackets().isEmpty()) {
            w.println();
            ladder(f, w);
        }
        w.flush();
    }

    private static String side(DirectionStats d) {
        if (d == null) {
            return "nothing";
        }
        return String.format(Locale.ROOT, "%d packets, %s%s%s", d.packets(), Units.bytes(d.payloadBytes()),
                d.ttl() >= 0 ? ", ttl " + d.ttl() : "", d.state() == null ? "" : ", ends " + d.state());
    }

    /** The last packets as arrows between two lifelines, labels above each arrow. */
    static void ladder(Flow f, PrintWriter w) {
        String left = "client " + f.client();
        String right = "server " + f.server();
        w.printf("last %d packets (time since the first frame)%n", f.lastPackets().size());
        w.println(left + " ".repeat(Math.max(1, LANE + 2 - left.length() - right.length() + 2)) + right);
        String rule = "  |" + " ".repeat(LANE) + "|";
        w.println(rule);
        for (PacketLine p : f.lastPackets()) {
            String label = String.format(Locale.ROOT, "#%d +%.6f %s seq=%d ack=%d len=%d win=%d", p.frame(),
                    Texts.seconds(f.start(), p.time()), p.flags(), PacketLine.unsigned(p.seq()), PacketLine.unsigned(p.ack()), p.len(),
                    p.window());
            String said = AppText.at(f.app(), p.frame());
            String notes = (p.analysis().isEmpty() ? "" : " [" + String.join(", ", p.analysis()) + "]")
                    + (said == null ? "" : " << " + said);
            String text = label + notes;
            if (text.length() > LANE - 2) {
                w.println("  | " + label);
                w.println("  | " + notes.trim());
            } else if (p.fromClient()) {
                w.println("  | " + text + " ".repeat(LANE - 1 - text.length()) + "|");
            } else {
                w.println("  |" + " ".repeat(LANE - 1 - text.length()) + text + " |");
            }
            w.println(p.fromClient() ? "  |" + "-".repeat(LANE - 1) + ">|" : "  |<" + "-".repeat(LANE - 1) + "|");
        }
    }
}
