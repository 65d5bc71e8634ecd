package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tcpautopsy.model.Units;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The service's end of one {@link AnalysisWorker} process: starts it, hands it jobs, follows its
 * answers, and kills it when a job outlives its time limit. Standard error goes to a log file
 * whose last line explains a crash.
 */
final class WorkerProcess implements AutoCloseable {
    private static final JsonNode EOF = AnalysisWorker.JSON.createObjectNode().put("type", "eof");

    private final Process process;
    private final Writer stdin;
    private final Path log;
    private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    private int jobs;
    /** The last line on standard output that was not protocol: HotSpot prints its OutOfMemoryError exit there. */
    private volatile String stray;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "tcpautopsy-worker-reader-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a worker and waits for its {@code ready}. */
    static WorkerProcess start(List<String> command, Path log, Duration startTimeout) throws IOException {
        Files.createDirectories(log.getParent());
        if (Files.exists(log) && Files.size(log) > (8 << 20)) {
            Files.delete(log);  // a log of old crashes is not worth unbounded disk
        }
        if (!Files.exists(log)) {
            Files.createFile(log, Private.file());
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        WorkerProcess w = new WorkerProcess(p, log);
        long logStart = w.logSize();
        try {
            JsonNode first = w.answers.poll(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first != null && "ready".equals(first.path("type").asText())) {
                return w;
            }
            w.kill();
            throw new IOException(first == null ? "no answer within " + startTimeout.toSeconds() + " s"
                    : "exited: " + w.lastLogLine(logStart));
        } catch (InterruptedException e) {
            w.kill();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting");
        }
    }

    /** Jobs handed to this worker so far. */
    int jobs() {
        return jobs;
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Runs one job and waits for its end, at most {@code timeout}; then the worker is killed.
     *
     * @throws InterruptedException when the service is shutting down (the worker is killed first)
     */
    JobOutcome run(AnalysisWorker.Job job, Consumer<JobProgress> onProgress, Duration timeout) throws InterruptedException {
        jobs++;
        stray = null;
        long logStart = logSize();
        try {
            stdin.write(AnalysisWorker.JSON.writeValueAsString(job));
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            kill();
            return JobOutcome.lost("the analyzer process died before taking the job: " + lastLogLine(logStart));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode a = left <= 0 ? null : answers.poll(left, TimeUnit.NANOSECONDS);
                if (a == null) {
                    kill();
                    return JobOutcome.lost("the analysis took longer than the time limit of " + Units.threshold(timeout)
                            + " and was stopped (--analysis-timeout)");
                }
                switch (a.path("type").asText()) {
                    case "progress" -> onProgress.accept(new JobProgress(a.path("bytesDone").asLong(),
                            a.path("bytesTotal").asLong(), a.path("packets").asLong()));
                    case "done" -> {
                        return JobOutcome.done();
                    }
                    case "failed" -> {
                        return new JobOutcome(false, a.path("reason").asText("the analyzer failed"), !alive());
                    }
                    case "eof" -> {
                        return JobOutcome.lost(crashReason(logStart));
                    }
                    default -> {
                        // an answer of a later protocol: ignore
                    }
                }
            }
        } catch (InterruptedException e) {
            kill();
            throw e;
        }
    }

    private String crashReason(long logStart) throws InterruptedException {
        int code = process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
        String line = stray != null ? stray : lastLogLine(logStart);
        String how = code > 128 ? "was killed by signal " + signal(code - 128) : "exited with status " + code;
        return "the analyzer process " + how + (line.isEmpty() ? "" : ": " + line);
    }

    /** The usual causes of the signals that end a JVM, for the one-line reason. */
    private static String signal(int n) {
        return switch (n) {
            case 6 -> "6 (SIGABRT: the JVM itself crashed)";
            case 9 -> "9 (SIGKILL: the system may have run out of memory)";
            case 11 -> "11 (SIGSEGV)";
            case 15 -> "15 (SIGTERM)";
            default -> String.valueOf(n);
        };
    }

    private void readAnswers() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                try {
                    answers.add(AnalysisWorker.JSON.readTree(line));
                } catch (IOException e) {
                    // not protocol: the JVM's own last words, or a print that escaped the log
                    if (!line.isBlank()) {
                        stray = AnalysisIndex.clip(line.strip(), 300);
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; EOF below says so
        }
        answers.add(EOF);
    }

    private long logSize() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last line of the log written since {@code from} that is not a stack frame, or "". */
    String lastLogLine(long from) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, f.length() - 16_384);
            byte[] b = new byte[(int) Math.max(0, f.length() - start)];
            f.seek(start);
            f.readFully(b);
            String[] lines = new String(b, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                String l = lines[i].strip();
                if (!l.isEmpty() && !l.startsWith("at ") && !l.startsWith("...") && !l.startsWith("#")) {
                    return AnalysisIndex.clip(l, 300);
                }
            }
        } catch (IOException e) {
            // no log: nothing to add
        }
        return "";
    }

    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();  // end of input: the worker exits by itself
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }
}
