package dev.tcpautopsy.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last packets of a connection (for the ladder diagram and the classifier's tail), and the raw
 * header bytes of the packets that can become evidence: the last few, and the first SYN, SYN-ACK, FIN
 * and RST of each side. Preallocated per connection and reused with it: recording a packet copies a
 * few fields and at most {@code headerBytes} bytes.
 */
final class PacketRing implements PacketHeaders {
    /** Special header slots after the ring: SYN, SYN-ACK, FIN and RST of side a, then of side b. */
    static final int SYN = 0, SYN_ACK = 1, FIN = 2, RST = 3, SPECIALS = 8;

    private final int size;
    private final long[] frame, nanos, seq, ack, window;
    private final int[] len, flags, ttl, ipId, analysis;
    private long count;

    private final int headerRing;
    private final int headerBytes;
    private final byte[] headers;
    private final int[] headerLen, headerLink;
    private final long[] headerFrame;

    PacketRing(int size, int headerRing, int headerBytes) {
        this.size = size;
        frame = new long[size];
        nanos = new long[size];
        seq = new long[size];
        ack = new long[size];
        window = new long[size];
        len = new int[size];
        flags = new int[size];
        ttl = new int[size];
        ipId = new int[size];
        analysis = new int[size];
        this.headerRing = headerBytes > 0 ? headerRing : 0;
        this.headerBytes = headerBytes;
        int slots = headerBytes > 0 ? this.headerRing + SPECIALS : 0;
        headers = new byte[slots * headerBytes];
        headerLen = new int[slots];
        headerLink = new int[slots];
        headerFrame = new long[slots];
    }

    void clear() {
        count = 0;
        Arrays.fill(headerFrame, 0);
    }

    /**
     * Records one packet; {@code flagsAndDir} holds the TCP flags and, in bit 8, whether the client
     * sent it.
     */
    void add(long f, long ts, boolean fromClient, int tcpFlags, long relSeq, long relAck, int length, long win,
             int ttlValue, int id, int analysisMask) {
        int i = (int) (count % size);
        frame[i] = f;
        nanos[i] = ts;
        flags[i] = tcpFlags | (fromClient ? 0x100 : 0);
        seq[i] = relSeq;
        ack[i] = relAck;
        len[i] = length;
        window[i] = win;
        ttl[i] = ttlValue;
        ipId[i] = id;
        analysis[i] = analysisMask;
        count++;
    }

    /** Keeps the header bytes {@code buf[off, off+n)} of frame {@code f} in the ring, and in {@code special} (-1: none). */
    void keepHeader(long f, int linkType, byte[] buf, int off, int n, int special) {
        if (headerBytes == 0 || buf == null) {
            return;
        }
        int m = Math.min(n, headerBytes);
        store((int) ((count - 1) % headerRing), f, linkType, buf, off, m);
        if (special >= 0 && headerFrame[headerRing + special] == 0) {
            store(headerRing + special, f, linkType, buf, off, m);
        }
    }

    private void store(int slot, long f, int linkType, byte[] buf, int off, int m) {
        System.arraycopy(buf, off, headers, slot * headerBytes, m);
        headerLen[slot] = m;
        headerLink[slot] = linkType;
        headerFrame[slot] = f;
    }

    private int slotOf(long f) {
        if (f <= 0) {
            return -1;
        }
        for (int i = 0; i < headerFrame.length; i++) {
            if (headerFrame[i] == f) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public byte[] headerBytes(long f) {
        int s = slotOf(f);
        return s < 0 ? null : Arrays.copyOfRange(headers, s * headerBytes, s * headerBytes + headerLen[s]);
    }

    @Override
    public int linkType(long f) {
        int s = slotOf(f);
        return s < 0 ? -1 : headerLink[s];
    }

    @Override
    public PacketHeaders snapshot() {
        return Snapshot.of(this, headerFrame);
    }

    /** The recorded packets, oldest first. */
    List<FlowFacts.TailPacket> tail() {
        int n = (int) Math.min(count, size);
        List<FlowFacts.TailPacket> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int i = (int) ((count - n + k) % size);
            out.add(new FlowFacts.TailPacket(frame[i], nanos[i], (flags[i] & 0x100) != 0, flags[i] & 0xFF, seq[i],
                    ack[i], len[i], window[i], ttl[i], ipId[i], analysis[i]));
        }
        return out;
    }

    /** An independent copy of the kept headers, for flows whose verdict waits for the end of the capture. */
    private record Snapshot(long[] frames, int[] links, byte[][] bytes) implements PacketHeaders {
        static Snapshot of(PacketRing r, long[] frames) {
            int n = 0;
            for (long f : frames) {
                n += f > 0 ? 1 : 0;
            }
            long[] fs = new long[n];
            int[] ls = new int[n];
            byte[][] bs = new byte[n][];
            int k = 0;
            for (int i = 0; i < frames.length; i++) {
                if (frames[i] > 0) {
                    fs[k] = frames[i];
                    ls[k] = r.headerLink[i];
                    bs[k++] = r.headerBytes(frames[i]);
                }
            }
            return new Snapshot(fs, ls, bs);
        }

        @Override
        public byte[] headerBytes(long f) {
            for (int i = 0; i < frames.length; i++) {
                if (frames[i] == f) {
                    return bytes[i].clone();
                }
            }
            return null;
        }

        @Override
        public int linkType(long f) {
            for (int i = 0; i < frames.length; i++) {
                if (frames[i] == f) {
                    return links[i];
                }
            }
            return -1;
        }

        @Override
        public PacketHeaders snapshot() {
            return this;
        }
    }
}
