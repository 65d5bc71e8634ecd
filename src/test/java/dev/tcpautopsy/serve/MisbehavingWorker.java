package dev.tcpautopsy.serve;

import java.io.IOException;

/**
 * A worker process that misbehaves on purpose for captures uploaded under certain names, to test
 * the service's supervision of real worker processes: {@code hang} never answers, {@code crash}
 * dies the way a JVM fault would, {@code slow} reports half its bytes read, then takes 1.5 s. Any other capture is analyzed for
 * real.
 */
public class MisbehavingWorker extends AnalysisWorker {
    MisbehavingWorker() {
        super(protocolStream());
    }

    public static void main(String[] args) throws IOException {
        new MisbehavingWorker().serve();
    }

    @Override
    protected void analyze(Job job) throws IOException {
        try {
            if (job.name().contains("hang")) {
                Thread.sleep(Long.MAX_VALUE);
            }
            if (job.name().contains("slow")) {
                send(java.util.Map.of("type", "progress", "id", job.id(), "bytesDone", 500L, "bytesTotal", 1000L,
                        "packets", 7L));
                Thread.sleep(1500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (job.name().contains("crash")) {
            System.err.println("simulated fault: SIGSEGV in native code");
            Runtime.getRuntime().halt(134);
        }
        super.analyze(job);
    }
}
