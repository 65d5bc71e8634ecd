package dev.tcpautopsy.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Entry point: writes a synthetic capture and its ground truth to files. */
public final class Synth {
    private Synth() {
    }

    /**
     * Writes the capture to {@code out}, one truth line per flow to {@code flowTruth} (skipped when
     * null) and the counts per class and {@code by} to {@code summary} (skipped when null).
     */
    public static SynthResult generate(SynthParams p, Path out, Path flowTruth, Path summary) throws IOException {
        SynthResult r;
        try (OutputStream file = Files.newOutputStream(out);
             OutputStream capture = p.gzip() ? new FastGzip(file) : file;
             Writer truth = flowTruth == null ? null
                     : new BufferedWriter(Files.newBufferedWriter(flowTruth, StandardCharsets.UTF_8), 1 << 16)) {
            r = new Generator(p).write(capture, truth);
        }
        if (summary != null) {
            try (Writer w = Files.newBufferedWriter(summary, StandardCharsets.UTF_8)) {
                TruthLog.writeSummary(w, p, r);
            }
        }
        return r;
    }

    /** Writes the summary of a run that already happened (for callers that stream elsewhere). */
    public static void writeSummary(Writer w, SynthParams p, SynthResult r) throws IOException {
        TruthLog.writeSummary(w, p, r);
    }

    /** gzip at the fastest level: a generator should not wait on the compressor more than it must. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
