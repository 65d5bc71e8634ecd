package dev.tcpautopsy.cli;

import dev.tcpautopsy.synth.EndingMix;
import dev.tcpautopsy.synth.Profile;
import dev.tcpautopsy.synth.Synth;
import dev.tcpautopsy.synth.SynthParams;
import dev.tcpautopsy.synth.SynthResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code tcpautopsy generate}: a synthetic capture with known verdicts, for benchmarks and tests. */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Writes a synthetic capture (Ethernet/IPv4|IPv6/TCP, correct checksums) whose every "
                + "connection ends in a known way, and its ground truth: OUT.truth.tsv (one line a flow, the "
                + "samples' format) and OUT.truth-summary.tsv (flows per class and by).",
                "The same options always give the same bytes."},
        footerHeading = "%nExamples:%n",
        footer = {"  tcpautopsy generate --size 1GiB bench.pcap",
                "  tcpautopsy generate --profile churn --size 256MiB --flow-truth none churn.pcap",
                "  tcpautopsy generate --packets 5000 --endings FIN_ORDERLY=1,RST_ABORT=1 --format pcapng small.pcapng.gz"})
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "OUT", description = "The capture to write (gzip-compressed when the name ends in .gz).")
    Path out;

    @Option(names = "--size", paramLabel = "SIZE", description = "Stop starting connections at this file size: "
            + "bytes, or with a unit (KiB, MiB, GiB, KB, MB, GB; default when neither --size nor --packets: 64MiB).")
    String size;

    @Option(names = "--packets", paramLabel = "N", description = "Stop starting connections after N packets.")
    long packets;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "BULK",
            description = "bulk (average frame ~770 bytes) or churn (average frame < 100 bytes, short "
                    + "connections, refused and unanswered SYNs) (default: bulk).")
    Profile profile;

    @Option(names = "--concurrency", paramLabel = "N", description = "Connections open at once "
            + "(default: 256 for bulk, 1024 for churn).")
    Integer concurrency;

    @Option(names = "--endings", paramLabel = "MIX", description = "Weights of the endings: NAME=W,... where NAME "
            + "is a termination class (FIN_ORDERLY, RST_ABORT, ...) or a variant (FIN_CLIENT, REFUSED_FIREWALL, "
            + "IDLE_DROP, INJECTED_RST_LATE_DATA, OPEN_HALF_CLOSED, ...) (default: the profile's mix).")
    String endings;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0.002",
            description = "Chance a data segment is lost once and retransmitted (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--reorder", paramLabel = "P", defaultValue = "0.001",
            description = "Chance a server segment arrives after its successor (default: ${DEFAULT-VALUE}).")
    double reorder;

    @Option(names = "--ipv6", paramLabel = "SHARE", defaultValue = "0.1",
            description = "Share of connections over IPv6 (default: ${DEFAULT-VALUE}).")
    double ipv6;

    @Option(names = "--no-timestamps", description = "Connections do not negotiate TCP timestamps.")
    boolean noTimestamps;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "PCAP", description = "pcap or pcapng (default: pcap).")
    SynthParams.Format format;

    @Option(names = "--gzip", description = "Compress (implied by a name ending in .gz).")
    boolean gzip;

    @Option(names = "--nanos", description = "Nanosecond timestamps.")
    boolean nanos;

    @Option(names = "--start", paramLabel = "INSTANT", description = "Time of the first packet, ISO-8601 "
            + "(default: 2026-11-24T17:00:00Z).")
    String start;

    @Option(names = "--flow-truth", paramLabel = "FILE", description = "Per-flow truth file, or 'none' "
            + "(default: OUT.truth.tsv).")
    String flowTruth;

    @Option(names = "--summary", paramLabel = "FILE", description = "Counts per class and by, or 'none' "
            + "(default: OUT.truth-summary.tsv).")
    String summary;

    @Override
    public Integer call() throws IOException {
        SynthParams p = params();
        Path flows = "none".equals(flowTruth) ? null
                : flowTruth != null ? Path.of(flowTruth) : sibling(out, ".truth.tsv");
        Path sum = "none".equals(summary) ? null
                : summary != null ? Path.of(summary) : sibling(out, ".truth-summary.tsv");
        long t0 = System.nanoTime();
        SynthResult r = Synth.generate(p, out, flows, sum);
        double secs = (System.nanoTime() - t0) / 1e9;
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s: %d packets, %d flows, %.1f MiB (average frame %.0f bytes), %.1f s of traffic;"
                        + " written in %.2f s (%.0f MB/s, %.2f M packets/s)%n",
                out, r.packets(), r.flows(), r.fileBytes() / 1048576.0, r.averageFrame(),
                (r.lastNanos() - r.firstNanos()) / 1e9, secs, r.fileBytes() / 1e6 / secs, r.packets() / 1e6 / secs);
        o.flush();
        return ExitCodes.OK;
    }

    private SynthParams params() {
        try {
            long bytes = size != null ? parseSize(size) : packets > 0 ? 0 : 64L << 20;
            EndingMix mix = endings != null ? EndingMix.parse(endings) : profile.defaultEndings();
            Instant first = start != null ? Instant.parse(start) : SynthParams.DEFAULT_START;
            boolean gz = gzip || out.getFileName().toString().endsWith(".gz");
            return new SynthParams(seed, bytes, packets, concurrency != null ? concurrency : profile.defaultConcurrency(),
                    profile, mix, loss, reorder, ipv6, !noTimestamps, format, gz, nanos, first);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** "1GiB", "500MB", "4096": binary units with an i, decimal without. */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        String[] units = {"KIB", "MIB", "GIB", "TIB", "KB", "MB", "GB", "TB", "K", "M", "G", "B"};
        long[] factors = {1L << 10, 1L << 20, 1L << 30, 1L << 40, 1_000L, 1_000_000L, 1_000_000_000L,
                1_000_000_000_000L, 1L << 10, 1L << 20, 1L << 30, 1};
        for (int i = 0; i < units.length; i++) {
            if (t.endsWith(units[i])) {
                return Math.round(number(s, t.substring(0, t.length() - units[i].length())) * factors[i]);
            }
        }
        return Math.round(number(s, t));
    }

    private static double number(String original, String digits) {
        try {
            double v = Double.parseDouble(digits.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("size '" + original + "' (expected: a positive number with an optional "
                + "unit such as 64MiB or 1GB)");
    }
}
