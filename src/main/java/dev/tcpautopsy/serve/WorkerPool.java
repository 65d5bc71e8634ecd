package dev.tcpautopsy.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A fixed number of slots, each feeding one {@link WorkerProcess} from a shared queue of analysis
 * ids. A slot whose worker crashed or was killed starts a fresh one for its next job, so one bad
 * capture costs one analysis and never a slot.
 */
final class WorkerPool implements AutoCloseable {
    /** Jobs a worker process runs before it is replaced by a fresh one (heap fragmentation, leaks). */
    static final int RECYCLE_AFTER = 200;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** What the pool asks of the service around each job. */
    interface Jobs {
        /** Marks the analysis running and describes it; null when it is no longer queued. */
        AnalysisWorker.Job claim(String id);

        /** The job ended (not called for jobs cancelled or stopped by shutdown). */
        void finished(String id, JobOutcome outcome);
    }

    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Map<String, JobProgress> progress = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final List<Slot> slots = new ArrayList<>();
    private final Jobs jobs;
    private final List<String> command;
    private final Duration timeout;
    private volatile boolean closing;

    WorkerPool(int size, List<String> command, Path logs, Duration timeout, Jobs jobs) {
        this.jobs = jobs;
        this.command = List.copyOf(command);
        this.timeout = timeout;
        for (int i = 0; i < size; i++) {
            slots.add(new Slot(i, logs.resolve("worker-" + i + ".log")));
        }
    }

    void start() {
        slots.forEach(s -> s.thread.start());
    }

    void submit(String id) {
        queue.add(id);
    }

    /** Progress of a running analysis, as its worker last reported it. */
    Optional<JobProgress> progress(String id) {
        return Optional.ofNullable(progress.get(id));
    }

    /** Stops an analysis that is queued or running (it was deleted); its outcome is not reported. */
    void cancel(String id) {
        if (queue.remove(id)) {
            return;
        }
        // it may be about to start, starting, or running: each slot looks at the set at every step
        cancelled.add(id);
        for (Slot s : slots) {
            if (id.equals(s.current)) {
                s.killWorker();
            }
        }
    }

    /** Ids running now. */
    List<String> running() {
        List<String> out = new ArrayList<>();
        for (Slot s : slots) {
            String c = s.current;
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** Stops the slots and their workers; returns the analyses that were cut short. */
    List<String> shutdown() {
        closing = true;
        List<String> cut = running();
        for (Slot s : slots) {
            s.thread.interrupt();
        }
        for (Slot s : slots) {
            try {
                s.thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return cut;
    }

    @Override
    public void close() {
        shutdown();
    }

    private final class Slot {
        final Thread thread;
        final Path log;
        volatile String current;
        private volatile WorkerProcess worker;

        Slot(int n, Path log) {
            this.log = log;
            this.thread = new Thread(this::loop, "tcpautopsy-slot-" + n);
            thread.setDaemon(true);
        }

        void loop() {
            try {
                while (!closing) {
                    String id = queue.take();
                    current = id;  // before the claim, so that a cancel from now on finds it
                    AnalysisWorker.Job job = cancelled.contains(id) ? null : jobs.claim(id);
                    if (job != null) {
                        runOne(id, job);
                    }
                    current = null;
                    cancelled.remove(id);
                }
            } catch (InterruptedException e) {
                // shutting down
            } finally {
                WorkerProcess w = worker;
                if (w != null) {
                    w.close();
                }
            }
        }

        private void runOne(String id, AnalysisWorker.Job job) throws InterruptedException {
            progress.put(id, JobProgress.START);
            JobOutcome outcome;
            try {
                outcome = runInWorker(job);
            } finally {
                progress.remove(id);
            }
            if (cancelled.contains(id) || closing) {
                return;
            }
            jobs.finished(id, outcome);
        }

        private JobOutcome runInWorker(AnalysisWorker.Job job) throws InterruptedException {
            WorkerProcess w = worker;
            if (w != null && (!w.alive() || w.jobs() >= RECYCLE_AFTER)) {
                w.close();
                w = null;
            }
            if (w == null) {
                try {
                    w = WorkerProcess.start(command, log, START_TIMEOUT);
                } catch (IOException e) {
                    // e.g. no memory for another JVM: fail this job, and pause so the queue is not burnt through
                    Thread.sleep(1000);
                    return JobOutcome.failed("cannot start an analyzer process: " + e.getMessage());
                }
                worker = w;
            }
            // a cancel that came while the worker was starting found nothing to kill: it is seen here;
            // one that comes after this check finds the worker (set above) and kills it
            if (cancelled.contains(job.id())) {
                return JobOutcome.failed("cancelled");
            }
            JobOutcome o = w.run(job, p -> progress.put(job.id(), p), timeout);
            if (o.workerLost()) {
                w.kill();
                worker = null;
            }
            return o;
        }

        void killWorker() {
            WorkerProcess w = worker;
            if (w != null) {
                w.kill();
            }
        }
    }
}
