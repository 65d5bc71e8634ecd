package dev.tcpautopsy.flow;

import java.util.Arrays;

/**
 * One direction of a connection: what one endpoint sent, and the state it is in (Zeek's
 * {@code TCP_Endpoint}). Reset and reused when its connection is recycled; every field is a primitive
 * so that a segment costs field updates only.
 *
 * <p>Two sequence views are kept. Wireshark's analysis state ({@code ws*}) uses raw 32-bit values
 * with 0 meaning "unset", exactly as {@code packet-tcp.c} does, so that its flags come out the same.
 * Our own view is relative to {@link #baseSeq} and unwrapped into a {@code long}, so it survives the
 * 32-bit wrap of long transfers (RFC 9293 3.4 arithmetic modulo 2^32).
 */
final class Side {
    static final int GAPS = 16;
    private static final long[] NO_GAPS = new long[0];

    // identity
    long addrHi, addrLo;
    int port;
    boolean ipv6;
    /** Stored as its ordinal: see {@link #state()}. */
    private byte state;

    // Wireshark's sequence analysis (tcp_analyze_sequence_number), raw 32-bit values
    int baseSeq;
    boolean baseSet;
    int wsNextSeq;
    long wsNextSeqNanos;
    int wsMaxSeqToBeAcked;
    int wsLastAck;
    long wsLastAckNanos;
    /** Raw window of the last segment; -1 before any (Wireshark starts at G_MAXUINT32). */
    int wsWindow;
    /** Window scale shift; -1 unknown, -2 known not to be used. */
    int winScale;
    int wsDupAckNum;
    int wsLastFlags;
    boolean wsFirstAck;
    /** Approximation of Wireshark's count of unacked segments (it stops adding SYN/FIN past 1000). */
    int wsUnacked;
    /** Segments per {@link AnalysisFlags} flag (by bit number); null until a segment gets a flag. */
    long[] analysisCounts;

    // our relative, unwrapped sequence space
    boolean sentSeqSpace;
    long relStart;
    long relHigh;
    long relDataEnd;
    long highestAck = -1;
    long highestAckFrame;

    // counters and landmarks
    long packets, payloadBytes, dataSegments;
    long firstFrame, firstNanos, lastFrame, lastNanos;
    long firstDataFrame, lastDataFrame, lastDataNanos;
    long bytesAfterPeerData;
    long isn = -1;
    int mss = -1, optWindowScale = -1;
    int synCount;
    long firstSynFrame, lastSynFrame, firstSynNanos = -1, lastSynNanos = -1;
    long finFrame, finNanos = -1, finSeq = -1;
    long rstFrame, rstNanos = -1, rstSeq = -1, rstAck = -1;
    boolean rstHasAck;
    int rstTtl = -1, rstCount;
    long packetsAfterRst, payloadAfterRst;
    /** Last advertised window (scaled when known) of a non-RST segment; -1 when none. */
    long lastWindow = -1;
    int lastRawWindow = -1;
    long zeroWindowFrame, zeroWindowNanos = -1;
    long zeroWindowProbes, keepAlives;
    int unanswered;
    long lastUnansweredNanos;
    /** A ring of the last {@value #GAPS} gaps; null until the first gap. */
    private long[] unansweredGaps;
    int gapCount;

    final ModeCounter ttl = new ModeCounter();
    /** The TTL of the latest run of equal TTLs, not yet added to {@link #ttl} (most packets repeat it). */
    int ttlRunValue = -1;
    long ttlRunLength;
    int ttlMin = 256, ttlMax = -1;
    int lastIpId = -1;
    long ipIdZero, ipIdIncrement, ipIdSame, ipIdOther;


    /**
     * The state. Kept as a number: an endpoint lives as long as its pooled connection, long enough to
     * be in the old generation, and each store of a reference into it marks a card that the next young
     * collection scans.
     */
    EndpointState state() {
        return EndpointState.of(state);
    }

    void state(EndpointState s) {
        state = (byte) s.ordinal();
    }

    void reset(long hi, long lo, int port, boolean ipv6) {
        addrHi = hi;
        addrLo = lo;
        this.port = port;
        this.ipv6 = ipv6;
        state = (byte) EndpointState.INACTIVE.ordinal();
        baseSeq = 0;
        baseSet = false;
        wsNextSeq = 0;
        wsNextSeqNanos = 0;
        wsMaxSeqToBeAcked = 0;
        wsLastAck = 0;
        wsLastAckNanos = 0;
        wsWindow = -1;
        winScale = -1;
        wsDupAckNum = 0;
        wsLastFlags = 0;
        wsFirstAck = false;
        wsUnacked = 0;
        if (analysisCounts != null) {
            Arrays.fill(analysisCounts, 0);
        }
        sentSeqSpace = false;
        relStart = relHigh = relDataEnd = 0;
        highestAck = -1;
        highestAckFrame = 0;
        packets = payloadBytes = dataSegments = 0;
        firstFrame = firstNanos = lastFrame = lastNanos = 0;
        firstDataFrame = lastDataFrame = lastDataNanos = 0;
        bytesAfterPeerData = 0;
        isn = -1;
        mss = optWindowScale = -1;
        synCount = 0;
        firstSynFrame = lastSynFrame = 0;
        firstSynNanos = lastSynNanos = -1;
        finFrame = 0;
        finNanos = finSeq = -1;
        forgetRst();
        lastWindow = -1;
        lastRawWindow = -1;
        zeroWindowFrame = 0;
        zeroWindowNanos = -1;
        zeroWindowProbes = keepAlives = 0;
        unanswered = 0;
        lastUnansweredNanos = 0;
        gapCount = 0;
        ttl.clear();
        ttlRunValue = -1;
        ttlRunLength = 0;
        ttlMin = 256;
        ttlMax = -1;
        lastIpId = -1;
        ipIdZero = ipIdIncrement = ipIdSame = ipIdOther = 0;
    }

    /** The connection outlived this side's RSTs: they did not end it (see {@link Survival}). */
    void forgetRst() {
        rstFrame = 0;
        rstNanos = rstSeq = rstAck = -1;
        rstHasAck = false;
        rstTtl = -1;
        rstCount = 0;
        packetsAfterRst = payloadAfterRst = 0;
    }

    /** A FIN that the connection outlived with a RST: forgotten with it. */
    void forgetFin() {
        finFrame = 0;
        finNanos = finSeq = -1;
    }

    boolean matches(long hi, long lo, int p) {
        return addrLo == lo && addrHi == hi && port == p;
    }

    /** Relative, unwrapped position of raw sequence number {@code seq} in this side's space. */
    long rel(long seq) {
        long off = (seq - (baseSeq & 0xFFFF_FFFFL)) & 0xFFFF_FFFFL;
        // take the candidate closest to the highest position seen (one wrap either way)
        long candidate = (relHigh & ~0xFFFF_FFFFL) | off;
        long d = candidate - relHigh;
        if (d > 0x8000_0000L) {
            candidate -= 0x1_0000_0000L;
        } else if (d < -0x8000_0000L) {
            candidate += 0x1_0000_0000L;
        }
        return candidate;
    }

    /** Whether this side has sent sequence space (data, SYN or FIN) the peer has not acknowledged. */
    boolean outstanding(Side peer) {
        return sentSeqSpace && relHigh > Math.max(relStart, peer.highestAck);
    }

    /** Window as the receiver sees it: scaled when the scale is known; SYN windows are never scaled. */
    long scaledWindow(int raw, boolean syn) {
        return syn || winScale < 0 ? raw : (long) raw << winScale;
    }

    void noteTtl(int value, boolean rst) {
        if (rst) {
            if (rstTtl < 0) {
                rstTtl = value;
            }
            return;
        }
        if (value == ttlRunValue) {
            ttlRunLength++;
            return;
        }
        flushTtl();
        ttlRunValue = value;
        ttlRunLength = 1;
        if (value < ttlMin) {
            ttlMin = value;
        }
        if (value > ttlMax) {
            ttlMax = value;
        }
    }

    private void flushTtl() {
        if (ttlRunLength > 0) {
            ttl.add(ttlRunValue, ttlRunLength);
            ttlRunLength = 0;
        }
    }

    /** Most common TTL of this side's non-RST packets, -1 when none. */
    int ttlMode() {
        flushTtl();
        return ttl.mode();
    }

    void noteIpId(int id) {
        if (id < 0) {
            return;
        }
        if (id == 0) {
            ipIdZero++;
        } else if (lastIpId >= 0) {
            int d = (id - lastIpId) & 0xFFFF;
            if (d == 0) {
                ipIdSame++;
            } else if (d <= 1024) {
                ipIdIncrement++;
            } else {
                ipIdOther++;
            }
        }
        lastIpId = id;
    }

    String ipIdPattern() {
        long n = ipIdZero + ipIdIncrement + ipIdSame + ipIdOther;
        if (ipv6 || n < 2) {
            return "none";
        }
        if (ipIdZero * 10 >= n * 9) {
            return "zero";
        }
        if (ipIdIncrement * 10 >= n * 7) {
            return "incrementing";
        }
        if (ipIdSame * 10 >= n * 7) {
            return "constant";
        }
        return "random";
    }

    /**
     * Sends less than this apart, with no answer between, are one send captured twice (two interfaces, a
     * span port): no stack retransmits within 10 ms of its last retransmission (Linux's minimum RTO is 200 ms).
     */
    static final long SAME_SEND_NANOS = 10_000_000L;

    /** Records a retransmission or probe the peer has not answered (yet). */
    void unansweredSend(long now) {
        if (unanswered > 0 && now - lastUnansweredNanos < SAME_SEND_NANOS) {
            return;
        }
        if (unanswered > 0) {
            if (unansweredGaps == null) {
                unansweredGaps = new long[GAPS];
            }
            unansweredGaps[gapCount % GAPS] = now - lastUnansweredNanos;
            gapCount++;
        }
        unanswered++;
        lastUnansweredNanos = now;
    }

    void peerAnswered() {
        unanswered = 0;
        gapCount = 0;
    }

    /** The gaps between the unanswered sends, oldest first. */
    long[] unansweredGapsInOrder() {
        int n = Math.min(gapCount, GAPS);
        if (n == 0) {
            return NO_GAPS;
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = unansweredGaps[(gapCount - n + i) % GAPS];
        }
        return out;
    }
}
