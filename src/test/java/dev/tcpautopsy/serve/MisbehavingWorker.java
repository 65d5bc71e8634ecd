package dev.tcpautopsy.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker process that misbehaves on purpose for captures uploaded under certain names, to test
 * the service's supervision of real worker processes: {@code hang} never answers (and says so
 * with a file in tmp/), {@code crash}
 * dies the way a JVM fault would, {@code slow} reports half its bytes read, then waits until the
 * test lets it go on ({@link #letGo}): a fixed pause would be a race against a loaded machine;
 * {@code blocked} finds a file where its report directory should be.
 * Any other capture is analyzed for real.
 */
public class MisbehavingWorker extends AnalysisWorker {
    private static final String GO = "go-";
    /** The file a {@code hang} job leaves in the worker's temporary directory (the data directory's tmp/) once it hangs. */
    static final String HANGING = "hanging-";

    MisbehavingWorker() {
        super(protocolStream());
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        new MisbehavingWorker().serve();
    }

    @Override
    protected void analyze(Job job) throws IOException {
        try {
            if (job.name().contains("hang")) {
                Files.createFile(Path.of(System.getProperty("java.io.tmpdir"), HANGING + job.id()));
                Thread.sleep(Long.MAX_VALUE);
            }
            if (job.name().contains("slow")) {
                send(java.util.Map.of("type", "progress", "id", job.id(), "bytesDone", 500L, "bytesTotal", 1000L,
                        "packets", 7L));
                awaitGo(job.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (job.name().contains("blocked")) {
            // a report directory that cannot be made: the real analyzer then fails writing it
            Path out = Path.of(job.out());
            Files.delete(out);
            Files.writeString(out, "in the way");
        }
        if (job.name().contains("crash")) {
            System.err.println("simulated fault: SIGSEGV in native code");
            Runtime.getRuntime().halt(134);
        }
        super.analyze(job);
    }

    /** Lets the {@code slow} analysis {@code id} of the service on {@code data} go on past its progress report. */
    static void letGo(Path data, String id) throws IOException {
        Files.createFile(data.resolve("tmp").resolve(GO + id));
    }

    /**
     * Waits for {@link #letGo} (the worker's temporary directory is the data directory's tmp/); bounded,
     * though the service's time limit stops it first.
     */
    private static void awaitGo(String id) throws InterruptedException, IOException {
        Path go = Path.of(System.getProperty("java.io.tmpdir"), GO + id);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!Files.exists(go) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Files.deleteIfExists(go);
    }
}
