package dev.tcpautopsy.serve;

import io.javalin.Javalin;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The running service: the data directory, the index, the worker pool and the web server, started
 * in that order and stopped in reverse. Analyses cut short by a stop are queued again at the next
 * start; one cut short twice fails with the reason.
 */
public final class Service implements AutoCloseable, WorkerPool.Jobs {
    /** Times a worker may take an analysis up before a restart in the middle fails it. */
    static final int MAX_ATTEMPTS = 2;
    /** How long a slot waits for a work directory held by another process before it moves on. */
    private static final java.time.Duration WORK_HELD_WAIT = java.time.Duration.ofSeconds(10);

    final ServeSettings settings;
    final DataDir dir;
    final Database db;
    final AnalysisIndex index;
    final WorkerPool pool;
    final Intake intake;
    final Clock clock = Clock.systemUTC();
    private final ServiceLease lease;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tcpautopsy-lease");
        t.setDaemon(true);
        return t;
    });
    /** Set when another service took this data directory's lease: this one then starts nothing more. */
    private volatile boolean leaseLost;
    private final Consumer<String> log;
    private Javalin web;
    private boolean closed;

    private Service(ServeSettings settings, Consumer<String> log) throws IOException, SQLException {
        this.settings = settings;
        this.log = log;
        this.dir = new DataDir(settings.data());
        dir.open();
        String instance;
        try {
            instance = ServiceLease.identity(dir.root());
            this.db = Database.open(settings);
        } catch (IOException | SQLException | RuntimeException e) {
            dir.close();
            throw e;
        }
        try {
            Private.files(dir.root());  // the embedded index's files
        } catch (IOException e) {
            db.close();
            dir.close();
            throw e;
        }
        this.index = new AnalysisIndex(db, instance);
        this.lease = new ServiceLease(db, instance, ServiceLease.holder(dir.root()), clock);
        this.pool = new WorkerPool(settings.workers(), workerCommand(), dir.logs(), settings.analysisTimeout(), this);
        this.intake = new Intake(dir, index, pool, settings, clock);
    }

    /**
     * Opens the data directory and the index, resumes what a previous run left queued or running, and
     * starts listening.
     *
     * @param log receives one line per request and the service's own notices
     */
    public static Service start(ServeSettings settings, Consumer<String> log) throws IOException, SQLException {
        Service s = new Service(settings, log);
        try {
            s.lease.acquire();
            s.renewals.scheduleWithFixedDelay(s::renew, ServiceLease.RENEW.toMillis(), ServiceLease.RENEW.toMillis(),
                    TimeUnit.MILLISECONDS);
            s.resume();
            s.web = WebApp.start(s.settings, s.clock::millis, s.log, s.index,
                    new Api(s.intake, s.index, s.pool, s.dir, s.settings), new Permalinks(s.index, s.dir));
        } catch (IOException | SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void renew() {
        try {
            if (!lease.renew() && !leaseLost) {
                leaseLost = true;
                log.accept("tcpautopsy serve: another service took over this data directory in the index (this one "
                        + "was stalled past " + ServiceLease.TTL.toSeconds() + " s): no analysis is started here any more; "
                        + "stop this service");
            }
        } catch (SQLException | RuntimeException e) {
            log.accept("tcpautopsy serve: cannot renew the lease in the index: " + e.getMessage());
        }
    }

    private void resume() throws SQLException, IOException {
        int adopted = index.adoptUnowned();
        if (adopted > 0) {
            log.accept("tcpautopsy serve: " + adopted + " analyses of an index from before data directories had "
                    + "identities now belong to this one");
        }
        int failed = index.recoverInterrupted(MAX_ATTEMPTS, "the service stopped " + MAX_ATTEMPTS + " times while "
                + "this capture was being analyzed; it is not tried again (upload it again to retry)", clock.millis());
        if (failed > 0) {
            log.accept("tcpautopsy serve: " + failed + " analyses interrupted twice were marked failed");
        }
        int orphans = dir.deleteOrphans(index.allIds());
        if (orphans > 0) {
            log.accept("tcpautopsy serve: removed " + orphans + " files of uploads that never made it into the index");
        }
        pool.start();
        List<String> queued = index.queuedIds();
        queued.forEach(pool::submit);
        if (!queued.isEmpty()) {
            log.accept("tcpautopsy serve: resuming " + queued.size() + " queued analyses");
        }
    }

    public int port() {
        return web.port();
    }

    /** The address to print and to open: the bind address and the actual port. */
    public String url() {
        String host = settings.bind().contains(":") && !settings.bind().startsWith("[") ? "[" + settings.bind() + "]"
                : settings.bind();
        return "http://" + host + ":" + port() + "/";
    }

    public String indexDescription() {
        return db.description();
    }

    @Override
    public AnalysisWorker.Job claim(String id) {
        try {
            if (leaseLost || !workFree(id)) {
                return null;
            }
            if (!index.claim(id, clock.millis())) {
                return null;
            }
            Map<String, List<Upload>> uploads = index.uploads(List.of(id));
            List<Upload> u = uploads.getOrDefault(id, List.of());
            String name = u.isEmpty() ? id : u.get(0).fileName();
            Path work = dir.newWork(id);
            long idle = settings.idleThreshold().toMillis();
            List<PairFile> files = index.pairFiles(List.of(id)).get(id);
            if (files == null) {
                return new AnalysisWorker.Job(id, dir.capture(id).toString(), work.toString(), name, idle, null, null);
            }
            List<List<AnalysisWorker.JobFile>> points = List.of(new ArrayList<>(), new ArrayList<>());
            for (PairFile f : files) {
                points.get(f.side().equals(PairFile.A) ? 0 : 1).add(new AnalysisWorker.JobFile(
                        dir.pairFile(id, f).toString(), f.fileName()));
            }
            return new AnalysisWorker.Job(id, null, work.toString(), name, idle, points.get(0), points.get(1));
        } catch (SQLException | IOException e) {
            log.accept("tcpautopsy serve: cannot start analysis " + id + ": " + e.getMessage());
            failQuietly(id, "the service could not start the analysis: " + dir.relative(e.getMessage()));
            return null;
        }
    }

    /**
     * Waits (bounded) until no process holds the work directory of {@code id}: a worker of a
     * previous run that was killed stops at once, so this is a matter of milliseconds. When it is
     * still held, the analysis stays queued and goes back in line; false then, and at a shutdown.
     */
    private boolean workFree(String id) throws IOException {
        long deadline = System.nanoTime() + WORK_HELD_WAIT.toNanos();
        boolean told = false;
        while (dir.workHeld(id)) {
            if (!told) {
                log.accept("tcpautopsy serve: analysis " + id + " waits: another process still holds its work directory");
                told = true;
            }
            if (System.nanoTime() > deadline) {
                pool.submit(id);
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();  // the slot's next take ends it
                return false;
            }
        }
        return true;
    }

    @Override
    public void finished(String id, JobOutcome outcome) {
        try {
            if (!outcome.ok()) {
                dir.deleteWork(id);
                index.finishFailed(id, dir.relative(outcome.reason()), clock.millis());
                return;
            }
            Facts f = AnalysisWorker.JSON.readValue(dir.work(id).resolve(FactsRenderer.FILE).toFile(), Facts.class);
            if (f.error() != null && f.packets() == 0) {
                // nothing readable at all: the report would be empty, the error is the whole story
                dir.deleteWork(id);
                index.finishFailed(id, f.error(), clock.millis());
                return;
            }
            dir.publish(id);
            dir.deleteWork(id);
            String warning = f.error() == null ? null : IndexEntry.PAIR.equals(f.format())
                    ? "damaged capture, compared up to the damage: " + f.error()
                    : "damaged capture, the " + f.packets() + " packets before the damage were analyzed: " + f.error();
            index.finishDone(id, f, AnalysisIndex.clip(warning, 2000), clock.millis());
        } catch (IOException | SQLException | RuntimeException e) {
            log.accept("tcpautopsy serve: cannot record analysis " + id + ": " + e);
            failQuietly(id, "the service could not keep the results: " + dir.relative(e.getMessage()));
        }
    }

    private void failQuietly(String id, String reason) {
        try {
            index.finishFailed(id, AnalysisIndex.clip(reason, 2000), clock.millis());
        } catch (SQLException e) {
            log.accept("tcpautopsy serve: cannot record the failure of " + id + ": " + e.getMessage());
        }
    }

    /** The worker process's command line: this JVM's java and class path, the worker's main class. */
    private List<String> workerCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.io.tmpdir=" + dir.tmp());
        cmd.add("-cp");
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            cp.add(Path.of(e).toAbsolutePath().toString());
        }
        cmd.add(String.join(File.pathSeparator, cp));
        if (settings.workerCommand().isEmpty()) {
            // its share of the processors, so that the workers running at once do not each take every core
            // for tracking threads (with the default, half the processors as workers: two each, the judging
            // thread apart); SerialGC for a heap this small; the JVM's exit on OOM turns a heap blow-up into a
            // clean failure
            int share = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, settings.workers()));
            cmd.addAll(List.of("-Xmx" + settings.workerHeap(), "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                    "-XX:ActiveProcessorCount=" + share,
                    "-XX:ErrorFile=" + dir.logs().resolve("hs_err_pid%p.log"), AnalysisWorker.class.getName()));
        } else {
            cmd.addAll(settings.workerCommand());
        }
        return cmd;
    }

    /** Stops taking requests, stops the workers, and puts the analyses they were running back in the queue. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        renewals.shutdownNow();
        if (web != null) {
            web.stop();
        }
        List<String> cut = pool.shutdown();
        try {
            index.release(cut);
            lease.release();
        } catch (SQLException e) {
            log.accept("tcpautopsy serve: cannot requeue " + cut + " or give up the lease: " + e.getMessage());
        }
        db.close();
        dir.close();
    }

    /** Stops like a crash would: nothing is put back (tests of the restart use it). */
    synchronized void halt() {
        closed = true;
        renewals.shutdownNow();
        if (web != null) {
            web.stop();
        }
        pool.shutdown();
        db.close();
        dir.close();
    }
}
