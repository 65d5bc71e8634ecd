package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.FlowEncoder;

import java.util.Arrays;
import java.util.HashMap;
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
    /** The streams of {@link #bursts}, sorted once sealed: most flows are in none, and are told so without a lookup. */
    private long[] burstStreams = new long[0];

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
        burstStreams = bursts.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        if (!sorted) {
            reused = Arrays.copyOf(reused, reusedCount);
            Arrays.sort(reused);
            sorted = true;
        }
        return this;
    }

    /** Whether the 4-tuple of the flow of {@code stream} was reused by a later connection. */
    boolean reused(long stream) {
        return reusedCount > 0 && Arrays.binarySearch(reused, 0, reusedCount, stream) >= 0;
    }

    /** Whether the 4-tuple of the flow encoded at {@code b[off ..)} was reused by a later connection. */
    boolean reused(byte[] b, int off) {
        return reusedCount > 0 && reused(FlowEncoder.stream(b, off));
    }

    /** The clause the reason of the flow encoded at {@code b[off ..)} gains as one of a burst, or {@code null}. */
    String burstClause(byte[] b, int off) {
        if (burstStreams.length == 0) {
            return null;
        }
        long stream = FlowEncoder.stream(b, off);
        if (Arrays.binarySearch(burstStreams, stream) < 0) {
            return null;
        }
        Map<Long, Bursts.Burst> inStream = bursts.get(stream);
        Bursts.Burst burst = inStream == null ? null : inStream.get(FlowEncoder.firstFrame(b, off));
        return burst == null ? null : burst.clause();
    }
}
