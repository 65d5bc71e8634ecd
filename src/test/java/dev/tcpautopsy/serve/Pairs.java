package dev.tcpautopsy.serve;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.compare.Comparer;
import dev.tcpautopsy.model.Comparison;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The pairs of samples/pairs/ for the service's tests: compared as {@code tcpautopsy compare} does, and cut in two. */
final class Pairs {
    private Pairs() {
    }

    /** The comparison the command makes of these files (several a point merged by time), with the default threshold. */
    static Comparison compare(List<Input> a, List<Input> b) {
        List<Analyzer> analyzers = new ArrayList<>();
        try {
            return new Comparer(inputs -> {
                Analyzer an = new Analyzer(new AnalysisOptions(AnalysisOptions.DEFAULT_IDLE_THRESHOLD, inputs.size() > 1,
                        1, Set.of(), Set.of(), Set.of(), false));
                analyzers.add(an);
                return an.analyze(inputs, ProgressListener.NONE);
            }, AnalysisOptions.DEFAULT_IDLE_THRESHOLD, Comparer.MAX_SEGMENTS).compare(a, b);
        } finally {
            analyzers.forEach(Analyzer::close);
        }
    }

    /**
     * A classic little-endian pcap cut into two files at about its middle record (at a change of
     * timestamp, so that a merge by time puts every record back where it was, whichever file comes first).
     */
    static byte[][] halves(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0xa1b2c3d4) {
            throw new IllegalArgumentException("not a little-endian classic pcap");
        }
        List<Integer> starts = new ArrayList<>();
        for (int at = 24; at + 16 <= pcap.length; at += 16 + b.getInt(at + 8)) {
            starts.add(at);
        }
        int cut = starts.size() / 2;
        while (cut < starts.size() && stamp(b, starts.get(cut)) == stamp(b, starts.get(cut - 1))) {
            cut++;
        }
        int middle = starts.get(cut);
        byte[] first = Arrays.copyOf(pcap, middle);
        byte[] second = new byte[24 + pcap.length - middle];
        System.arraycopy(pcap, 0, second, 0, 24);
        System.arraycopy(pcap, middle, second, 24, pcap.length - middle);
        return new byte[][] {first, second};
    }

    private static long stamp(ByteBuffer b, int record) {
        return (b.getInt(record) & 0xFFFFFFFFL) * 1_000_000_000L + (b.getInt(record + 4) & 0xFFFFFFFFL);
    }
}
