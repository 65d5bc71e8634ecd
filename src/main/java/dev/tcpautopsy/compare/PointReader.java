package dev.tcpautopsy.compare;

import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.decode.PacketDecoder;
import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Flow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the segments of one capture point into the connections its analysis found: each segment goes to
 * the connection of its 4-tuple that had begun by its frame (the analysis's streams, port reuse included).
 * Several files form one capture merged by time, numbered as the analysis numbers them (mergecap's order:
 * on equal timestamps the earlier file first), so they are read twice: their timestamps, then their
 * segments. Reading stops where the analysis stopped, at a damaged record.
 */
final class PointReader {
    private final long maxSegments;
    private final Map<Tuple, List<Conn>> byTuple = new HashMap<>();
    private long segments;
    private String current;

    private PointReader(long maxSegments) {
        this.maxSegments = maxSegments;
    }

    /** The point's connections with their segments. */
    static Point read(String label, List<Input> inputs, CaptureReport report, long maxSegments) {
        PointReader r = new PointReader(maxSegments);
        List<Conn> conns = new ArrayList<>();
        if (report.flows() != null) {
            for (Flow f : report.flows()) {
                Conn c = Conn.of(f);
                conns.add(c);
                r.byTuple.computeIfAbsent(Tuple.of(c.client, c.server), k -> new ArrayList<>(1)).add(c);
            }
        }
        long[] bounds = {Long.MAX_VALUE, Long.MIN_VALUE};
        long[][] frames = inputs.size() > 1 ? mergedFrames(inputs) : new long[1][];
        for (int i = 0; i < inputs.size(); i++) {
            r.readFile(label, inputs.get(i), frames[i], bounds);
        }
        for (Conn c : conns) {
            if (frames.length > 1) {
                c.segs.sort((x, y) -> Long.compare(x.frame, y.frame));
            }
            c.settle();
        }
        Comparison.Point info = new Comparison.Point(report.file(), report.packets(), r.segments, conns.size(),
                report.first(), report.last(), report.vantage(), report.error());
        return new Point(label, info, conns, bounds[0], bounds[1]);
    }

    private void readFile(String label, Input in, long[] merged, long[] bounds) {
        current = label + " (" + in.name() + ")";
        PacketRecord rec = new PacketRecord();
        TcpSegment s = new TcpSegment();
        PacketDecoder decoder = new PacketDecoder();
        try (CaptureReader reader = Captures.open(in.path())) {
            while (reader.next(rec)) {
                if (merged != null) {
                    rec.frame = merged[(int) rec.frame - 1];
                }
                bounds[0] = Math.min(bounds[0], rec.tsNanos);
                bounds[1] = Math.max(bounds[1], rec.tsNanos);
                if (decoder.decode(rec, s)) {
                    add(s, rec.buf);
                }
            }
        } catch (IOException e) {
            // the analysis read the same bytes and reports the damage; what came before it is kept
        }
    }

    private void add(TcpSegment s, byte[] buf) {
        List<Conn> candidates = byTuple.get(Tuple.of(s));
        if (candidates == null) {
            return; // not a connection of the analysis (it reports every one it tracked)
        }
        if (++segments > maxSegments) {
            throw new TooManySegments(current + " has more than " + String.format("%,d", maxSegments)
                    + " TCP segments (frame " + s.frame + "), the most compare keeps in memory for one point (some "
                    + "330 bytes each with what goes with them); cut both captures to the incident's time window (editcap -A "
                    + "/ -B), or raise --max-segments and the heap (java -Xmx)");
        }
        Conn c = candidates.get(0);
        for (Conn k : candidates) {
            if (k.view.firstFrame() <= s.frame) {
                c = k;
            }
        }
        Seg seg = new Seg(s, buf);
        seg.fromClient = s.srcHi == c.client.hi() && s.srcLo == c.client.lo() && s.srcPort == c.client.port();
        c.segs.add(seg);
    }

    /**
     * The merged frame number of every record of every file: the files' timestamps merged as the
     * analysis merges them (a k-way merge of their heads, earlier file first on a tie).
     */
    static long[][] mergedFrames(List<Input> inputs) {
        long[][] ts = new long[inputs.size()][];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = timestamps(inputs.get(i));
        }
        return merge(ts);
    }

    static long[][] merge(long[][] ts) {
        long[][] out = new long[ts.length][];
        int[] at = new int[ts.length];
        for (int i = 0; i < ts.length; i++) {
            out[i] = new long[ts[i].length];
        }
        long frame = 0;
        while (true) {
            int best = -1;
            for (int i = 0; i < ts.length; i++) {
                if (at[i] < ts[i].length && (best < 0 || ts[i][at[i]] < ts[best][at[best]])) {
                    best = i;
                }
            }
            if (best < 0) {
                return out;
            }
            out[best][at[best]++] = ++frame;
        }
    }

    private static long[] timestamps(Input in) {
        long[] ts = new long[1024];
        int n = 0;
        PacketRecord rec = new PacketRecord();
        try (CaptureReader reader = Captures.open(in.path())) {
            while (reader.next(rec)) {
                if (n == ts.length) {
                    ts = Arrays.copyOf(ts, n * 2);
                }
                ts[n++] = rec.tsNanos;
            }
        } catch (IOException e) {
            // as in readFile: the records before the damage count
        }
        return Arrays.copyOf(ts, n);
    }

    /** A 4-tuple in one order whichever way the segment went. */
    record Tuple(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        static Tuple of(Addr x, Addr y) {
            return ordered(x.hi(), x.lo(), x.port(), y.hi(), y.lo(), y.port());
        }

        static Tuple of(TcpSegment s) {
            return ordered(s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
        }

        private static Tuple ordered(long xHi, long xLo, int xPort, long yHi, long yLo, int yPort) {
            int c = xHi != yHi ? Long.compare(xHi, yHi) : xLo != yLo ? Long.compare(xLo, yLo) : Integer.compare(xPort, yPort);
            return c <= 0 ? new Tuple(xHi, xLo, xPort, yHi, yLo, yPort) : new Tuple(yHi, yLo, yPort, xHi, xLo, xPort);
        }
    }
}
