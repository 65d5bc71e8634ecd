package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What was learned about a flow after it was judged and stored, applied as it is read back: its 4-tuple
 * was reused by a later connection ({@code PORT_REUSE}), or its ending was one of a host's burst
 * ({@code HOST_BURST}, with a clause in its reason). Filled on the judging thread; read once the
 * capture is over.
 */
final class Amendments {
    static final Amendments NONE = new Amendments();

    private long[] reused = new long[16];
    private int reusedCount;
    private boolean sorted = true;
    /** Burst members by stream, then first frame. */
    private final Map<Long, Map<Long, Bursts.Burst>> bursts = new HashMap<>();

    /** The flow of {@code stream} (already handed on) had its 4-tuple reused by a later connection. */
    void reusedLater(long stream) {
        if (reusedCount == reused.length) {
            reused = Arrays.copyOf(reused, reused.length * 2);
        }
        reused[reusedCount++] = stream;
        sorted = false;
    }

    void burst(long stream, long firstFrame, Bursts.Burst b) {
        bursts.computeIfAbsent(stream, s -> new HashMap<>(2)).put(firstFrame, b);
    }

    /** Done adding: ready to be read, from any thread. */
    Amendments seal() {
        if (!sorted) {
            reused = Arrays.copyOf(reused, reusedCount);
            Arrays.sort(reused);
            sorted = true;
        }
        return this;
    }

    Flow apply(Flow f) {
        boolean reuse = reusedCount > 0 && Arrays.binarySearch(reused, 0, reusedCount, f.stream()) >= 0
                && !f.termination().tags().contains(Tag.PORT_REUSE);
        Map<Long, Bursts.Burst> inStream = bursts.isEmpty() ? null : bursts.get(f.stream());
        Bursts.Burst burst = inStream == null ? null : inStream.get(f.firstFrame());
        if (!reuse && burst == null) {
            return f;
        }
        Termination t = f.termination();
        List<Tag> tags = new ArrayList<>(t.tags());
        String reason = t.reason();
        if (reuse) {
            tags.add(Tag.PORT_REUSE);
        }
        if (burst != null && !tags.contains(Tag.HOST_BURST)) {
            tags.add(Tag.HOST_BURST);
            reason = reason + "; " + burst.clause();
        }
        return f.withTermination(new Termination(t.cls(), t.by(), reason, t.filter(), t.evidence(), tags, t.appView()));
    }
}
