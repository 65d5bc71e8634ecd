package dev.tcpautopsy.compare;

import dev.tcpautopsy.decode.TcpSegment;

/**
 * One TCP segment as one capture point saw it: the header fields that tell segments apart and show
 * what changed on the way, without addresses (its {@link Conn} has them). Sequence numbers are kept
 * as raw 32-bit values.
 */
final class Seg {
    static final int CTL = TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST;
    /** How many payload bytes the digest covers at most. */
    static final int DIGESTED = 64;

    long frame;
    final long tsNanos;
    final int seq, ack, flags, len, window, ttl, ipId;
    final int mss, windowScale;
    final boolean sackPermitted, hasTimestamps;
    final int tsVal, tsEcr, sackHash;
    final long digest;
    final int digestLen;
    /** Sent by the connection's client (as the point's analysis named it). */
    boolean fromClient;
    /** The same segment at the other point, once matched. */
    Seg twin;
    /** Covered by a segment of other bounds at the other point (segmentation offload, coalescing). */
    boolean covered;

    Seg(TcpSegment s, byte[] buf) {
        frame = s.frame;
        tsNanos = s.tsNanos;
        seq = (int) s.seq;
        ack = (int) s.ack;
        flags = s.flags;
        len = s.payloadLen;
        window = s.window;
        ttl = s.ttl;
        ipId = s.ipId;
        mss = s.mss;
        windowScale = s.windowScale;
        sackPermitted = s.sackPermitted;
        hasTimestamps = s.tsVal >= 0;
        tsVal = (int) s.tsVal;
        tsEcr = (int) s.tsEcr;
        int h = 0;
        for (int i = 0; i < s.sackCount; i++) {
            h = 31 * (31 * h + (int) s.sackLeft[i]) + (int) s.sackRight[i];
        }
        sackHash = h;
        digestLen = Math.min(s.payloadCapLen, DIGESTED);
        digest = digest(buf, s.payloadOff, digestLen);
    }

    /** Test constructor: every field given. */
    Seg(long frame, long tsNanos, int seq, int ack, int flags, int len, int ttl, int ipId, int tsVal, long digest) {
        this.frame = frame;
        this.tsNanos = tsNanos;
        this.seq = seq;
        this.ack = ack;
        this.flags = flags;
        this.len = len;
        this.window = 502;
        this.ttl = ttl;
        this.ipId = ipId;
        this.mss = -1;
        this.windowScale = -1;
        this.sackPermitted = false;
        this.hasTimestamps = tsVal != 0;
        this.tsVal = tsVal;
        this.tsEcr = 0;
        this.sackHash = 0;
        this.digest = digest;
        this.digestLen = len == 0 ? 0 : Math.min(len, DIGESTED);
    }

    /** FNV-1a over the first payload bytes captured. */
    static long digest(byte[] b, int off, int n) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < n; i++) {
            h = (h ^ (b[off + i] & 0xFF)) * 0x100000001b3L;
        }
        return h;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Sequence space it occupies: payload plus one for SYN and one for FIN. */
    int seqLen() {
        return len + (has(TcpSegment.SYN) ? 1 : 0) + (has(TcpSegment.FIN) ? 1 : 0);
    }

    /** Whether the two payload digests can tell the segments apart and do: different bytes. */
    boolean payloadDiffers(Seg o) {
        return digestLen == o.digestLen && digestLen > 0 && digest != o.digest;
    }

    /**
     * What tells copies of one segment (retransmissions) apart and survives a router: the IP ID, the TCP
     * timestamps, the SACK blocks and the payload.
     */
    long fingerprint() {
        long h = ipId;
        h = 31 * h + (hasTimestamps ? tsVal : -1);
        h = 31 * h + (hasTimestamps ? tsEcr : -1);
        h = 31 * h + sackHash;
        return 31 * h + (digestLen > 0 ? digest : 0);
    }

    boolean matched() {
        return twin != null || covered;
    }
}
