package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.StateChange;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.AppText;
import dev.tcpautopsy.report.Errno;
import dev.tcpautopsy.report.Texts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the template shows of a flow: a table row, or the full detail card. */
final class FlowViews {

    /** A row of the connections table; data attributes drive the in-page filter and sort. */
    record Row(long stream, String client, String server, String hosts, String ports, String cls, String color,
               String by, String start, String duration, String durationSort, String reason, String filter,
               boolean abnormal, boolean detailed, String anchor, String app) {
    }



    /** One line of the per-direction table: a measure for what the client and the server sent. */
    record Metric(String label, String client, String server) {
    }

    /**
     * The detail card of an abnormal connection. Its tests ({@code hasTags} and the like) are methods
     * here rather than {@code #strings}/{@code #lists} calls in the template, which only OGNL evaluates
     * ({@link AccessorPaths} calls accessors directly).
     */
    record Detail(String anchor, long stream, String client, String server, String cls, String color, String label,
                  String by, String verdict, String reason, String tags, String appClient, String appServer,
                  String filter, String frames, String span, List<EvidenceRow> evidence, List<StateChange> transitions,
                  List<Metric> sides, String history, String idle, Ladder.View ladder, List<AppText.Line> app) {

        public boolean hasTags() {
            return tags != null && !tags.isBlank();
        }

        public boolean hasHistory() {
            return history != null && !history.isBlank();
        }

        public boolean hasTransitions() {
            return transitions != null && !transitions.isEmpty();
        }
    }

    /** An evidence frame, its decoded headers one line each (empty when the report has none). */
    record EvidenceRow(long frame, String note, String dump) {
        static EvidenceRow of(Evidence e) {
            return new EvidenceRow(e.frame(), e.note(), String.join("\n", e.headerDump()));
        }

        public boolean dumped() {
            return !dump.isEmpty();
        }
    }

    private FlowViews() {
    }

    static Row row(String prefix, Flow f, boolean detailed) {
        Termination t = f.termination();
        return new Row(f.stream(), f.client().toString(), f.server().toString(),
                f.client().ip() + " " + f.server().ip(), f.client().port() + " " + f.server().port(),
                t.cls().name(), Palette.of(t.cls()), t.by().wire(), Texts.instant(f.start()),
                Units.duration(f.durationSeconds()), Double.toString(f.durationSeconds()), t.reason(), t.filter(),
                t.cls().isAbnormal(), detailed, anchor(prefix, f), AppText.summary(f.app()));
    }

    /** A flow's identity within its capture: a stream holds two flows when a connection went on after it was judged. */
    static String key(Flow f) {
        return f.stream() + "-" + f.firstFrame();
    }

    /** One per flow: a stream holds two flows when a connection went on after it was judged. */
    static String anchor(String prefix, Flow f) {
        return prefix + "-s" + f.stream() + "-f" + f.firstFrame();
    }

    static Detail detail(String prefix, Flow f) {
        Termination t = f.termination();
        String tags = t.tags().stream().map(Tag::name).collect(Collectors.joining(", "));
        String appClient = t.appView() == null ? "unknown" : Errno.describe(t.appView().client());
        String appServer = t.appView() == null ? "unknown" : Errno.describe(t.appView().server());
        String idle = f.longestIdle() == null ? null : Units.duration(f.longestIdle().seconds()) + " between frames "
                + f.longestIdle().afterFrame() + " and " + f.longestIdle().beforeFrame();
        return new Detail(anchor(prefix, f), f.stream(), f.client().toString(), f.server().toString(),
                t.cls().name(), Palette.of(t.cls()), t.cls().label(), t.by().wire(), Texts.verdict(f), t.reason(),
                tags, appClient, appServer, t.filter(), f.firstFrame() + "–" + f.lastFrame(),
                Texts.instant(f.start()) + " → " + Texts.instant(f.end()) + " (" + Units.duration(f.durationSeconds()) + ")",
                t.evidence().stream().map(EvidenceRow::of).toList(), f.transitions(), sides(f.fromClient(), f.fromServer()),
                f.history(), idle, f.lastPackets().isEmpty() ? null : Ladder.of(f), AppText.lines(f.app()));
    }

    private static List<Metric> sides(DirectionStats c, DirectionStats s) {
        return List.of(
                metric("Packets", c, s, d -> Units.count(d.packets())),
                metric("Payload", c, s, d -> Units.bytes(d.payloadBytes())),
                metric("IP TTL / hop limit", c, s, d -> known(d.ttl())),
                metric("MSS", c, s, d -> known(d.mss())),
                metric("Final state", c, s, d -> d.state() == null ? "–" : d.state()),
                metric("Retransmissions", c, s, d -> d.analysis() == null ? "–" : Units.count(d.analysis().retransmissions())),
                metric("Zero windows", c, s, d -> d.analysis() == null ? "–" : Units.count(d.analysis().zeroWindows())),
                metric("Keep-alives", c, s, d -> d.analysis() == null ? "–" : Units.count(d.analysis().keepAlives())),
                metric("FIN frame", c, s, d -> d.finFrame() > 0 ? Long.toString(d.finFrame()) : "–"),
                metric("RST frame", c, s, d -> d.rstFrame() > 0 ? Long.toString(d.rstFrame()) : "–"));
    }

    private static Metric metric(String label, DirectionStats c, DirectionStats s, Function<DirectionStats, String> f) {
        return new Metric(label, c == null ? "–" : f.apply(c), s == null ? "–" : f.apply(s));
    }

    private static String known(int v) {
        return v < 0 ? "–" : Integer.toString(v);
    }
}
