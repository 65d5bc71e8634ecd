package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.FlowSettings;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.AnalysisSettings;
import dev.tcpautopsy.model.CaptureReport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the pipeline (capture, decode, flow, classify) over inputs and builds the model.
 * A damaged or unreadable input never throws: its {@code CaptureReport} carries the error and
 * whatever was read before it.
 *
 * <p>Each input is its own capture, analyzed in parallel on {@link AnalysisOptions#threads()}
 * threads; with {@link AnalysisOptions#merge()} all inputs form one capture, merged by time.
 * Reports come back in input order. Flow sets too large to keep in memory live in temporary files
 * until the {@link AnalysisResult} is closed (or the analyzer, or the JVM ends).
 */
public final class Analyzer implements AutoCloseable {
    /**
     * Flows held in memory by all captures of an analysis together before they are spilled to disk:
     * one per 100 KB of the heap the JVM may use (encoded, a flow without details takes some 300
     * bytes), between 2,000 and 200,000 flows: 60,000 (under 20 MB) with the default heap on a 24 GiB
     * machine. Spilling costs a write and a read per format, so a capture of ordinary size never needs
     * it; memory stays bounded whatever the capture's size.
     */
    static final int MAX_IN_MEMORY = (int) Math.max(2_000, Math.min(200_000, Runtime.getRuntime().maxMemory() / 100_000));

    /**
     * Abnormal flows of each class per capture that keep their details (state transitions, last
     * packets, header dumps of the evidence frames): enough for the HTML's detail cards, while a
     * report of a million flows stays a list of verdicts; {@code show} gives any flow in full.
     */
    static final int DETAILS_PER_CLASS = 50;
    /**
     * Flows per capture whose verdict may wait for other flows of the capture at once (beyond, the one
     * that waited longest is judged, with the baselines of the flows seen by then). A waiting flow is
     * held whole (some 1 KB), and many of them outlive the young generation (bench/results/design-choices.md),
     * while by the time 2,000 flows wait, the hosts' TTL baselines and the vantage point rest on far more.
     */
    static final int MAX_DEFERRED = 2_000;
    /**
     * How long (capture time) such a verdict waits for the host baselines it rests on: 5 minutes of a
     * host's other traffic show its TTLs, and memory follows the capture's rate, not its length.
     */
    static final long DEFERRED_NANOS = Duration.ofMinutes(5).toNanos();

    /**
     * Loads and initializes what the first capture would otherwise wait for on its own thread
     * (pcap4j's packet registry, for header dumps): for a thread started while the command line is
     * still being parsed. Whatever fails here fails again where it is used, and is reported there.
     */
    public static void warmUp() {
        try {
            HeaderDumps.warmUp();
        } catch (RuntimeException | LinkageError e) {
            // see above
        }
    }

    private final AnalysisOptions options;
    private final Verdicts verdicts;
    /** The temporary files of every analysis run so far, deleted by {@link #close} whatever their results did. */
    private final List<TempFiles> temps = new ArrayList<>();
    private final InputStream stdin;
    private final int maxInMemory;
    /** Processors the analysis may keep busy: they decide how many threads a capture uses. */
    private final int processors;

    public Analyzer(AnalysisOptions options) {
        this(options, new ClassifierVerdicts(options.idleThreshold()), System.in, MAX_IN_MEMORY);
    }

    Analyzer(AnalysisOptions options, Verdicts verdicts, InputStream stdin, int maxInMemory) {
        this(options, verdicts, stdin, maxInMemory, Runtime.getRuntime().availableProcessors());
    }

    Analyzer(AnalysisOptions options, Verdicts verdicts, InputStream stdin, int maxInMemory, int processors) {
        this.options = options;
        this.verdicts = verdicts;
        this.stdin = stdin;
        this.maxInMemory = maxInMemory;
        this.processors = processors;
    }

    public AnalysisOptions options() {
        return options;
    }

    /** Analyzes the inputs; the result owns the temporary files its flow sets may need, until it is closed. */
    public AnalysisResult analyze(List<Input> inputs, ProgressListener progress) {
        TempFiles temp = new TempFiles(null);
        synchronized (temps) {
            temps.add(temp);
        }
        FlowSettings flow = FlowSettings.DEFAULT.withIdleThreshold(options.idleThreshold());
        int captures = options.merge() ? Math.min(1, inputs.size()) : inputs.size();
        int atOnce = Math.max(1, Math.min(options.threads(), captures));
        CaptureJob.Settings settings = new CaptureJob.Settings(options, flow, verdicts, temp,
                new java.util.concurrent.atomic.AtomicLong(maxInMemory), Math.min(2_000, maxInMemory), DETAILS_PER_CLASS,
                MAX_DEFERRED, CaptureJob.Threads.of(processors, atOnce));
        Progress p = new Progress(progress == null ? ProgressListener.NONE : progress, totalBytes(inputs));
        List<CaptureJob> jobs = new ArrayList<>();
        if (options.merge() && inputs.size() > 1) {
            jobs.add(new CaptureJob(inputs, settings, p, stdin));
        } else {
            for (Input i : inputs) {
                jobs.add(new CaptureJob(List.of(i), settings, p, stdin));
            }
        }
        List<CaptureReport> reports = run(jobs);
        List<String> names = inputs.stream().map(Input::name).toList();
        return new AnalysisResult(new AnalysisReport(version(), Instant.now(),
                new AnalysisSettings(options.idleThreshold(), options.merge(), names, ReportFilter.of(options).describe()),
                reports), temp);
    }

    private List<CaptureReport> run(List<CaptureJob> jobs) {
        int threads = Math.max(1, Math.min(options.threads(), jobs.size()));
        if (threads == 1) {
            List<CaptureReport> out = new ArrayList<>();
            for (CaptureJob j : jobs) {
                out.add(j.run());
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tcpautopsy-capture");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CaptureReport>> futures = new ArrayList<>();
            for (CaptureJob j : jobs) {
                futures.add(pool.submit(j::run));
            }
            List<CaptureReport> out = new ArrayList<>();
            for (Future<CaptureReport> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("analysis interrupted", e);
        } catch (ExecutionException e) {
            // CaptureJob reports input problems itself; anything else is a bug worth its stack trace
            throw new IllegalStateException("analysis failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The jar's Implementation-Version, "dev" when run from classes. */
    static String version() {
        String v = Analyzer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static long totalBytes(List<Input> inputs) {
        long total = 0;
        for (Input i : inputs) {
            if (i.isStdin()) {
                return -1;
            }
            try {
                total += Files.size(i.path());
            } catch (IOException e) {
                // unreadable: its job reports it
            }
        }
        return total;
    }

    /** Deletes the temporary files of every analysis run: the flow sets of their reports must not be read afterwards. */
    @Override
    public void close() {
        synchronized (temps) {
            temps.forEach(TempFiles::close);
            temps.clear();
        }
    }
}
