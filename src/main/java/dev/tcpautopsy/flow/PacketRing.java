package dev.tcpautopsy.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last packets of a connection (for the ladder diagram and the classifier's tail), and the raw
 * header bytes of the packets that can become evidence: the last few, and the first SYN, SYN-ACK, FIN
 * and RST of each side. Reused with its connection. Each packet's fields sit side by side in one
 * {@code long[]} (one or two cache lines per packet, not one per field), and recording one copies a
 * few words and at most {@code headerBytes} bytes.
 *
 * <p>Storage grows with need: the packet ring starts at {@value #FIRST} packets and doubles up to its
 * size, and the header bytes are allocated when first kept. A connection of a few packets (a SYN
 * flood, a refused port) then holds about 1.5 KB rather than 3 KB, and memory follows the connections
 * open at once. What a pooled connection grew stays with it (at most the full ring, 32 packets in
 * 1.8 KB, and its header bytes): arrays made for a connection and dropped when it ends live as long
 * as connections do, long enough for the garbage collector to copy and promote them, so reusing them
 * is what makes a connection cheap; shrinking the ring for the pool and growing it again for the next
 * connection cost collections (bench/results/design-choices.md).
 */
final class PacketRing implements PacketHeaders {
    /** Special header slots after the ring: SYN, SYN-ACK, FIN and RST of side a, then of side b. */
    static final int SYN = 0, SYN_ACK = 1, FIN = 2, RST = 3, SPECIALS = 8;
    /** Words per packet: frame, time, seq, ack, window, len | flags | ttl | analysis packed, IP ID. */
    private static final int STRIDE = 7;
    /** Packets the ring holds at first. */
    static final int FIRST = 4;

    private final int size;
    /** Packets the ring holds now: a power of two up to {@link #size}; it wraps only at full size. */
    private int cap;
    private long[] packets;
    private int count;

    private final int headerRing;
    private final int headerBytes;
    /** The header bytes of every slot side by side ({@code headerBytes} each), once one is used. */
    private byte[] headers;
    private final int slots;
    /** Per header slot: frame, then length | link type. */
    private final long[] headerMeta;

    /** {@code size} and {@code headerRing} are rounded up to powers of two. */
    PacketRing(int size, int headerRing, int headerBytes) {
        this.size = Integer.highestOneBit(Math.max(1, size - 1)) << 1;
        cap = Math.min(this.size, FIRST);
        packets = new long[cap * STRIDE];
        headerRing = Integer.highestOneBit(Math.max(1, headerRing - 1)) << 1;
        this.headerRing = headerBytes > 0 ? headerRing : 0;
        this.headerBytes = headerBytes;
        slots = headerBytes > 0 ? this.headerRing + SPECIALS : 0;
        headerMeta = new long[slots * 2];
    }

    void clear() {
        count = 0;
        Arrays.fill(headerMeta, 0);
    }

    /** Records one packet. */
    void add(long f, long ts, boolean fromClient, int tcpFlags, long relSeq, long relAck, int length, long win,
             int ttlValue, int id, int analysisMask) {
        if (count == cap && cap < size) {
            // not wrapped yet: packets 0 .. count-1 sit in order, and keep their places
            cap *= 2;
            packets = Arrays.copyOf(packets, cap * STRIDE);
        }
        int k = (count & (cap - 1)) * STRIDE;
        packets[k] = f;
        packets[k + 1] = ts;
        packets[k + 2] = relSeq;
        packets[k + 3] = relAck;
        packets[k + 4] = win;
        // bits 0-14 analysis, 15-23 TTL (0x1FF: unknown), 24-32 flags and the client bit, 33-63 length
        packets[k + 5] = (long) (length & 0x7FFF_FFFF) << 33 | (long) (tcpFlags & 0xFF | (fromClient ? 0x100 : 0)) << 24
                | (long) (ttlValue & 0x1FF) << 15 | (analysisMask & 0x7FFF);
        packets[k + 6] = id;
        count++;
    }

    /** Keeps the header bytes {@code buf[off, off+n)} of frame {@code f} in the ring, and in {@code special} (-1: none). */
    void keepHeader(long f, int linkType, byte[] buf, int off, int n, int special) {
        if (headerBytes == 0 || buf == null || n <= 0 || off < 0 || off + n > buf.length) {
            return;
        }
        int m = Math.min(n, headerBytes);
        store((count - 1) & (headerRing - 1), f, linkType, buf, off, m);
        if (special >= 0 && headerMeta[(headerRing + special) * 2] == 0) {
            store(headerRing + special, f, linkType, buf, off, m);
        }
    }

    /** Frees the RST slots, so that the header of a later RST (the one that ended the connection) is kept. */
    void forgetRstHeaders() {
        if (slots == 0) {
            return;
        }
        headerMeta[(headerRing + RST) * 2] = 0;
        headerMeta[(headerRing + SPECIALS / 2 + RST) * 2] = 0;
    }

    private void store(int slot, long f, int linkType, byte[] buf, int off, int m) {
        if (headers == null) {
            headers = new byte[slots * headerBytes];
        }
        System.arraycopy(buf, off, headers, slot * headerBytes, m);
        headerMeta[slot * 2] = f;
        headerMeta[slot * 2 + 1] = (long) m << 32 | (linkType & 0xFFFF_FFFFL);
    }

    private int slotOf(long f) {
        if (f <= 0) {
            return -1;
        }
        for (int i = 0; i < headerMeta.length / 2; i++) {
            if (headerMeta[i * 2] == f) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public byte[] headerBytes(long f) {
        int s = slotOf(f);
        return s < 0 ? null : Arrays.copyOfRange(headers, s * headerBytes, s * headerBytes + (int) (headerMeta[s * 2 + 1] >>> 32));
    }

    @Override
    public int linkType(long f) {
        int s = slotOf(f);
        return s < 0 ? -1 : (int) headerMeta[s * 2 + 1];
    }

    @Override
    public PacketHeaders snapshot() {
        List<Long> frames = new ArrayList<>();
        for (int i = 0; i < headerMeta.length / 2; i++) {
            if (headerMeta[i * 2] > 0 && !frames.contains(headerMeta[i * 2])) {
                frames.add(headerMeta[i * 2]);
            }
        }
        long[] fs = new long[frames.size()];
        int[] ls = new int[fs.length];
        byte[][] bs = new byte[fs.length][];
        for (int i = 0; i < fs.length; i++) {
            fs[i] = frames.get(i);
            ls[i] = linkType(fs[i]);
            bs[i] = headerBytes(fs[i]);
        }
        return new Snapshot(fs, ls, bs);
    }

    /** The recorded packets, oldest first. */
    List<FlowFacts.TailPacket> tail() {
        int n = Math.min(count, cap);
        FlowFacts.TailPacket[] out = new FlowFacts.TailPacket[n];
        for (int j = 0; j < n; j++) {
            int k = ((count - n + j) & (cap - 1)) * STRIDE;
            long packed = packets[k + 5];
            int flags = (int) (packed >>> 24) & 0x1FF;
            int ttl = (int) (packed >>> 15) & 0x1FF;
            int analysis = (int) (packed & 0x7FFF);
            out[j] = new FlowFacts.TailPacket(packets[k], packets[k + 1], (flags & 0x100) != 0, flags & 0xFF,
                    packets[k + 2], packets[k + 3], (int) (packed >>> 33), packets[k + 4], ttl == 0x1FF ? -1 : ttl,
                    (int) packets[k + 6], analysis);
        }
        return FixedList.of(out);
    }

    /** An independent copy of the kept headers, for flows whose verdict waits for the end of the capture. */
    private record Snapshot(long[] frames, int[] links, byte[][] bytes) implements PacketHeaders {
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
