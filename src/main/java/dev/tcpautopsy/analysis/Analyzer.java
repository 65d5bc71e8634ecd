package dev.tcpautopsy.analysis;

import dev.tcpautopsy.findings.BatchFindings;
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
import java.util.concurrent.atomic.AtomicLong;

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
    private final AnalysisLimits limits;
    /** Processors the analysis may keep busy: they decide how many threads a capture uses. */
    private final int processors;

    public Analyzer(AnalysisOptions options) {
        this(options, new ClassifierVerdicts(options.idleThreshold()), System.in, AnalysisLimits.DEFAULT);
    }

    /**
     * An analyzer that keeps at most {@code processors} busy (the threads of each capture follow from them),
     * for a caller that runs several at once: a Spark task, a share of a machine.
     */
    public Analyzer(AnalysisOptions options, int processors) {
        this(options, new ClassifierVerdicts(options.idleThreshold()), System.in, AnalysisLimits.DEFAULT,
                Math.max(1, processors));
    }

    Analyzer(AnalysisOptions options, Verdicts verdicts, InputStream stdin, AnalysisLimits limits) {
        this(options, verdicts, stdin, limits, Runtime.getRuntime().availableProcessors());
    }

    Analyzer(AnalysisOptions options, Verdicts verdicts, InputStream stdin, AnalysisLimits limits, int processors) {
        this.options = options;
        this.verdicts = verdicts;
        this.stdin = stdin;
        this.limits = limits.with(options);
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
        int captures = options.merge() ? Math.min(1, inputs.size()) : inputs.size();
        int atOnce = Math.max(1, Math.min(options.threads(), captures));
        CaptureJob.Settings settings = new CaptureJob.Settings(options, limits, verdicts, temp,
                new AtomicLong(limits.maxInMemory()), CaptureJob.Threads.of(processors, atOnce),
                CaptureJob.Threads.trackers(processors, atOnce));
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
                reports, BatchFindings.of(reports)), temp);
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
