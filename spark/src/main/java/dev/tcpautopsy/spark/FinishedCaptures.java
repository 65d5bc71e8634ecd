package dev.tcpautopsy.spark;

import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.jdk.javaapi.CollectionConverters;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line on the driver for each capture as its task ends, wherever the task ran: the capture's
 * result comes with the task's accumulator updates. A task that ran again (a lost executor) prints
 * nothing the second time.
 */
final class FinishedCaptures extends SparkListener {
    private final long accumulator;
    private final int total;
    private final PrintStream err;
    private final Set<Integer> seen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger done = new AtomicInteger();

    FinishedCaptures(long accumulator, int total, PrintStream err) {
        this.accumulator = accumulator;
        this.total = total;
        this.err = err;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        for (AccumulableInfo a : CollectionConverters.asJava(end.taskInfo().accumulables())) {
            if (a.id() != accumulator || a.update().isEmpty() || !(a.update().get() instanceof List<?> results)) {
                continue;
            }
            for (Object o : results) {
                if (o instanceof CaptureResult r && seen.add(r.index())) {
                    err.println(line(done.incrementAndGet(), total, r));
                }
            }
        }
    }

    static String line(int n, int total, CaptureResult r) {
        CaptureSummary s = r.summary();
        return String.format("tcpautopsy-archive: [%d/%d] %s: %d connection%s, %d abnormal (%.1f s)%s", n, total,
                s.file(), s.connections(), s.connections() == 1 ? "" : "s", s.abnormal(), r.seconds(),
                s.error() == null ? "" : "; unreadable: " + s.error());
    }
}
