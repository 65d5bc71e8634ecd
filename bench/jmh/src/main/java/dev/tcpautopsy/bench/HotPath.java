package dev.tcpautopsy.bench;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.decode.PacketDecoder;
import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.flow.FlowSettings;
import dev.tcpautopsy.flow.FlowTracker;
import dev.tcpautopsy.flow.HostTable;
import dev.tcpautopsy.synth.Generator;
import dev.tcpautopsy.synth.Profile;
import dev.tcpautopsy.synth.SynthParams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The hot path, one layer at a time, over one synthetic capture held in the page cache: read
 * records, decode them, track flows. Each operation is one pass over the whole file; divide the
 * packet count printed at setup by the time per operation for packets per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class HotPath {
    @Param({"BULK", "CHURN"})
    public String profile;

    @Param({"500000"})
    public long packets;

    private Path file;

    @Setup(Level.Trial)
    public void write() throws IOException {
        file = Files.createTempFile("tcpautopsy-jmh", ".pcap");
        SynthParams p = SynthParams.defaults(Profile.valueOf(profile), 1).withTargets(0, packets);
        try (OutputStream out = Files.newOutputStream(file)) {
            var r = new Generator(p).write(out, null);
            System.out.printf("%n%s: %,d packets, %,d flows, %,d bytes%n", profile, r.packets(), r.flows(), r.fileBytes());
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Records only: the reader's floor. */
    @Benchmark
    public long read() throws IOException {
        long n = 0;
        PacketRecord rec = new PacketRecord();
        try (CaptureReader r = Captures.open(file)) {
            while (r.next(rec)) {
                n += rec.capLen;
            }
        }
        return n;
    }

    /** Records and headers down to TCP. */
    @Benchmark
    public long readDecode() throws IOException {
        long n = 0;
        PacketRecord rec = new PacketRecord();
        TcpSegment seg = new TcpSegment();
        PacketDecoder d = new PacketDecoder();
        try (CaptureReader r = Captures.open(file)) {
            while (r.next(rec)) {
                if (d.decode(rec, seg)) {
                    n += seg.payloadLen;
                }
            }
        }
        return n;
    }

    /** Records, headers, and the flow table with its per-segment analysis; finished flows are consumed. */
    @Benchmark
    public long readDecodeTrack(Blackhole bh) throws IOException {
        PacketRecord rec = new PacketRecord();
        TcpSegment seg = new TcpSegment();
        PacketDecoder d = new PacketDecoder();
        FlowTracker t = new FlowTracker(FlowSettings.DEFAULT, (facts, headers) -> bh.consume(facts), new HostTable(4096));
        long last = 0;
        try (CaptureReader r = Captures.open(file)) {
            while (r.next(rec)) {
                if (d.decode(rec, seg)) {
                    t.accept(seg, rec);
                }
                last = rec.tsNanos;
            }
        }
        t.finish(last);
        return t.streams();
    }

    /**
     * The whole in-process pipeline: read, decode, track, classify, build and keep the model (the
     * reports are not written). Run under {@code taskset -c 0} for one core: with free cores the
     * analyzer reads, tracks and judges on three threads.
     */
    @Benchmark
    public long analyze() {
        AnalysisOptions o = new AnalysisOptions(AnalysisOptions.DEFAULT_IDLE_THRESHOLD, false, 1, Set.of(), Set.of(),
                Set.of(), false);
        try (Analyzer a = new Analyzer(o)) {
            return a.analyze(List.of(Input.of(file)), ProgressListener.NONE).captures().get(0).flows().size();
        }
    }

    /** The generator itself, writing to nowhere. */
    @Benchmark
    public long generate() throws IOException {
        SynthParams p = SynthParams.defaults(Profile.valueOf(profile), 1).withTargets(0, packets);
        return new Generator(p).write(OutputStream.nullOutputStream(), null).packets();
    }
}
