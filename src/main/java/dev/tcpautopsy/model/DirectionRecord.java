package dev.tcpautopsy.model;

/**
 * One direction of a {@link FlowRecord}: what {@link DirectionStats} holds, reused with its record. -1 stands
 * for an unknown ISN, MSS, window scale or TTL, and 0 for no FIN or RST frame.
 */
public final class DirectionRecord {
    private boolean present, hasAnalysis, anyCount;
    private long packets, payloadBytes, isn, finFrame, rstFrame;
    private int mss, windowScale, ttl;
    private final Utf8Text state = new Utf8Text();
    private final long[] counts = new long[FlowEncoder.COUNTS];

    void read(Reader r) {
        int bits = r.readByte();
        present = (bits & FlowEncoder.PRESENT) != 0;
        if (!present) {
            return;
        }
        hasAnalysis = (bits & FlowEncoder.HAS_ANALYSIS) != 0;
        anyCount = (bits & FlowEncoder.ANY_COUNT) != 0;
        packets = r.readLong();
        payloadBytes = r.readLong();
        isn = r.readLong();
        mss = (int) r.readLong();
        windowScale = (int) r.readLong();
        ttl = (int) r.readLong();
        r.text(state);
        finFrame = r.readLong();
        rstFrame = r.readLong();
        for (int i = 0; i < counts.length; i++) {
            counts[i] = anyCount ? r.readLong() : 0;
        }
    }

    public boolean present() {
        return present;
    }

    public long packets() {
        return packets;
    }

    public long payloadBytes() {
        return payloadBytes;
    }

    public long isn() {
        return isn;
    }

    public int mss() {
        return mss;
    }

    public int windowScale() {
        return windowScale;
    }

    public int ttl() {
        return ttl;
    }

    public Utf8Text state() {
        return state;
    }

    public long finFrame() {
        return finFrame;
    }

    public long rstFrame() {
        return rstFrame;
    }

    /** Whether analysis counts were kept at all (they may all be zero). */
    public boolean hasAnalysis() {
        return hasAnalysis;
    }

    /** Whether any analysis count is above zero. */
    public boolean anyCount() {
        return anyCount;
    }

    /** The analysis count {@code i}, in {@link AnalysisCounts}' order ({@code 0}: retransmissions). */
    public long count(int i) {
        return counts[i];
    }

    DirectionStats stats() {
        if (!present) {
            return null;
        }
        AnalysisCounts a = !hasAnalysis ? null : !anyCount ? AnalysisCounts.NONE : new AnalysisCounts(counts[0],
                counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7], counts[8], counts[9],
                counts[10], counts[11], counts[12]);
        return new DirectionStats(packets, payloadBytes, isn, mss, windowScale, ttl, state.toString(), finFrame,
                rstFrame, a);
    }
}
