package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.AnalysisResult;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.ReportWriter;
import dev.tcpautopsy.report.formats.ReportFormat;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The worker process: a JVM of its own that analyzes one capture at a time for the service, so
 * that a capture that crashes the analyzer or makes it hang takes down this process only (the
 * service kills it at the time limit and starts another).
 *
 * <p>Protocol, one JSON object a line: the service writes {@link Job}s to standard input; the
 * worker answers {@code ready} once, then per job any number of {@code progress} lines and one
 * {@code done} or {@code failed}. Standard error is the worker's log. End of input, which the
 * service's death is too, ends the worker at once.
 */
public class AnalysisWorker {
    /**
     * One capture to analyze into {@code out}, a directory that exists and is empty; or, when {@code a} and
     * {@code b} are given (and {@code capture} is null), the files of a pair's two points to compare.
     *
     * @param name the capture's name in its reports (the client's), or the pair's
     */
    public record Job(String id, String capture, String out, String name, long idleMillis, List<JobFile> a,
                      List<JobFile> b) {
    }

    /** One file of a pair's point: where it is, and its name in the reports. */
    public record JobFile(String path, String name) {
    }

    /** A job whose input cannot be used: its message, one line, is the whole reason (no analyzer fault). */
    static final class Unusable extends IOException {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    private static final long PROGRESS_EVERY_NANOS = 250_000_000L;
    static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream protocol;

    protected AnalysisWorker(PrintStream protocol) {
        this.protocol = protocol;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        new AnalysisWorker(protocolStream()).serve();
    }

    /** The real standard output, kept for the protocol; anything else printed goes to the log. */
    protected static PrintStream protocolStream() {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        return out;
    }

    protected final void serve() throws IOException, InterruptedException {
        BlockingQueue<String> lines = watchInput();
        send(Map.of("type", "ready"));
        while (true) {
            String line = lines.take();
            if (line.isBlank()) {
                continue;
            }
            Job job = JSON.readValue(line, Job.class);
            try {
                FileLock lock = lockWork(job);
                try {
                    analyze(job);
                } finally {
                    lock.channel().close();  // before "done": the service moves the directory then
                }
                send(Map.of("type", "done", "id", job.id()));
            } catch (Unusable e) {
                send(Map.of("type", "failed", "id", job.id(), "reason", SafeText.withoutPaths(e.getMessage(),
                        Path.of(job.out()).getParent().getParent())));
            } catch (Exception | StackOverflowError e) {
                send(Map.of("type", "failed", "id", job.id(), "reason", "the analyzer failed: "
                        + SafeText.withoutPaths(oneLine(e), Path.of(job.out()).getParent().getParent())));
                e.printStackTrace();
                if (e instanceof Error) {
                    // the JVM's state is suspect after an Error: let the service start a fresh worker
                    System.exit(70);
                }
            }
        }
    }

    /**
     * Standard input, read on a thread of its own: its end is the service closing it, or the
     * service's death (the pipe's only writer), even in the middle of a job. Either way the worker
     * stops at once, so that it never writes into a work directory that a restarted service hands
     * to another worker. (Watching the parent process instead polls, ever more slowly, and takes a
     * dead parent that nobody has reaped yet for a live one.)
     */
    private static BlockingQueue<String> watchInput() {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // a broken pipe ends the input as well
            }
            Runtime.getRuntime().halt(0);
        }, "tcpautopsy-worker-input");
        t.setDaemon(true);
        t.start();
        return lines;
    }

    /**
     * Locks the job's work directory for this process ({@code work/ID.lock}, held until the reports
     * are written or the process ends): a service starts no job whose directory is still held.
     */
    private static FileLock lockWork(Job job) throws IOException {
        FileChannel ch = FileChannel.open(DataDir.lockOf(Path.of(job.out())), Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE), Private.file());
        FileLock lock = ch.tryLock();
        if (lock == null) {
            ch.close();
            throw new IOException("the work directory of " + job.id() + " is held by another process");
        }
        return lock;
    }

    /**
     * Analyzes the job's capture and writes every report format and {@code facts.json} into its directory;
     * for a pair, compares its points and writes the comparison's reports.
     */
    protected void analyze(Job job) throws IOException {
        if (job.a() != null) {
            PairReports.write(job, Path.of(job.out()), progress(job.id()));
            return;
        }
        AnalysisOptions options = new AnalysisOptions(Duration.ofMillis(job.idleMillis()), false, 1, Set.of(),
                Set.of(), Set.of(), false);
        Path out = Path.of(job.out());
        Files.createDirectories(out);
        List<ReportRenderer> renderers = new ArrayList<>();
        for (ReportFormat f : ReportFormat.values()) {
            renderers.add(f.renderer());
        }
        renderers.add(new FactsRenderer());
        try (Analyzer analyzer = new Analyzer(options);
             AnalysisResult result = analyzer.analyze(List.of(new Input(job.name(), Path.of(job.capture()))),
                     progress(job.id()))) {
            ReportWriter.serial(renderers).write(result.report(), ReportTarget.directory(out));
        }
    }

    private ProgressListener progress(String id) {
        long[] last = {System.nanoTime()};
        return (done, total, packets) -> {
            long now = System.nanoTime();
            if (now - last[0] >= PROGRESS_EVERY_NANOS) {
                last[0] = now;
                send(Map.of("type", "progress", "id", id, "bytesDone", done, "bytesTotal", total, "packets", packets));
            }
        };
    }

    protected final synchronized void send(Map<String, Object> message) {
        try {
            protocol.println(JSON.writeValueAsString(message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
        return s.replaceAll("\\s+", " ").trim();
    }
}
