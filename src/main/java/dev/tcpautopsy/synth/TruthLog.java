package dev.tcpautopsy.synth;

import dev.tcpautopsy.decode.Addresses;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.TerminationClass;

import java.io.IOException;
import java.io.Writer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The ground truth: one line per flow in the samples' truth format (when a writer is given) and
 * counts per class and {@code by}, per ending variant. Lines are written as flows end, so the
 * log holds no flow in memory.
 */
final class TruthLog {
    static final String COLUMNS = "client_ip\tclient_port\tserver_ip\tserver_port\tclass\tby\ttags\tnotes";

    private final Writer flows;
    private final long[][] counts = new long[TerminationClass.values().length][By.values().length];
    private final long[] perEnding = new long[Ending.values().length];
    private final StringBuilder line = new StringBuilder(160);

    TruthLog(Writer flows) {
        this.flows = flows;
    }

    static void header(Writer w, SynthParams p) throws IOException {
        w.write("# scenario: " + p.describe() + "\n");
        w.write("# capture point: client\n");
    }

    void begin(SynthParams p) throws IOException {
        if (flows != null) {
            header(flows, p);
            flows.write(COLUMNS + "\n");
        }
    }

    void record(Conn c) throws IOException {
        Ending e = c.ending;
        counts[e.terminationClass().ordinal()][e.by().ordinal()]++;
        perEnding[e.ordinal()]++;
        if (flows == null) {
            return;
        }
        StringBuilder sb = line;
        sb.setLength(0);
        sb.append(address(c, false)).append('\t').append(c.cPort).append('\t')
                .append(address(c, true)).append('\t').append(c.sPort).append('\t')
                .append(e.terminationClass().name()).append('\t').append(e.by().wire()).append('\t');
        boolean first = true;
        for (Tag t : e.tags()) {
            sb.append(first ? "" : ",").append(t.name());
            first = false;
        }
        sb.append('\t').append("stream ").append(c.stream).append("; ").append(e.name().toLowerCase(java.util.Locale.ROOT))
                .append("; ").append(c.packets).append(" packets");
        if (c.lost > 0) {
            sb.append("; ").append(c.lost).append(" lost and retransmitted");
        }
        if (c.reordered > 0) {
            sb.append("; ").append(c.reordered).append(" reordered");
        }
        if (c.forgedTtl != 0) {
            sb.append("; forged TTL ").append(c.forgedTtl);
        }
        sb.append('\n');
        flows.append(sb);
    }

    static String address(Conn c, boolean server) {
        if (!c.v6) {
            return Addresses.format(0, Addresses.v4Lo(server ? c.sIp4 : c.cIp4));
        }
        return server ? Addresses.format(c.sHi, c.sLo) : Addresses.format(c.cHi, c.cLo);
    }

    Map<TerminationClass, Map<By, Long>> verdicts() {
        Map<TerminationClass, Map<By, Long>> out = new EnumMap<>(TerminationClass.class);
        for (TerminationClass tc : TerminationClass.values()) {
            for (By by : By.values()) {
                long n = counts[tc.ordinal()][by.ordinal()];
                if (n > 0) {
                    out.computeIfAbsent(tc, k -> new EnumMap<>(By.class)).put(by, n);
                }
            }
        }
        return out;
    }

    Map<Ending, Long> endings() {
        Map<Ending, Long> out = new EnumMap<>(Ending.class);
        for (Ending e : Ending.values()) {
            if (perEnding[e.ordinal()] > 0) {
                out.put(e, perEnding[e.ordinal()]);
            }
        }
        return out;
    }

    /** The summary file: the scenario header, totals, then one row per class and {@code by}. */
    static void writeSummary(Writer w, SynthParams p, SynthResult r) throws IOException {
        header(w, p);
        w.write("# packets: " + r.packets() + "   flows: " + r.flows() + "   file bytes: " + r.fileBytes()
                + "   average frame: " + String.format(java.util.Locale.ROOT, "%.1f", r.averageFrame()) + "\n");
        w.write("class\tby\tflows\n");
        for (Map.Entry<TerminationClass, Map<By, Long>> c : r.verdicts().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            for (Map.Entry<By, Long> b : c.getValue().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                w.write(c.getKey().name() + "\t" + b.getKey().wire() + "\t" + b.getValue() + "\n");
            }
        }
    }
}
