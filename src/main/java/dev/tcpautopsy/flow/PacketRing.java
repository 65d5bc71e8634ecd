package dev.tcpautopsy.flow;

import dev.tcpautopsy.capture.Bytes;
import dev.tcpautopsy.capture.FrameBytes;
import dev.tcpautopsy.decode.TcpSegment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last packets of a connection (for the ladder diagram and the classifier's tail), and the raw
 * header bytes of the packets that can become evidence: the last few, and the first SYN, SYN-ACK, FIN
 * and RST of each side. Reused with its connection. Each packet's fields sit side by side in one
 * {@code long[]} (one or two cache lines per packet, not one per field), and recording one copies a
 * few words; its header bytes are only located (where the capture file has them) when the file can be
 * read again, and copied (at most {@code headerBytes} of them) when it cannot: a report shows the
 * headers of a few hundred evidence frames, not those of every packet (bench/results/design-choices.md).
 *
 * <p>Storage grows with need: the packet ring starts at {@value #FIRST} packets and doubles up to its
 * size, and the header bytes are allocated when first copied. A connection of a few packets (a SYN
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
    /** Words per header slot. */
    private static final int META = 4;
    /** Packets the ring holds at first. */
    static final int FIRST = 4;

    private final int size;
    /** Packets the ring holds now: a power of two up to {@link #size}; it wraps only at full size. */
    private int cap;
    private long[] packets;
    private int count;

    private final int headerRing;
    private final int headerBytes;
    /** The header bytes of every slot side by side ({@code headerBytes} each), once one is copied. */
    private byte[] headers;
    private final int slots;
    /**
     * Per header slot: frame, length | link type, where the bytes can be read again ({@link
     * TcpSegment#dataAt}; -1: copied into {@link #headers}) and a {@link #check} of them. A ring slot holds a packet of this connection
     * once the connection has had that many packets; a special slot, when its bit is set in {@link #specials}:
     * neither is cleared for the next connection, which would touch the slots of every pooled connection.
     */
    private final long[] headerMeta;
    private int specials;
    /** What reads the bytes of the slots that say where they are (one reader for every packet of a capture). */
    private FrameBytes frames;

    /** {@code size} and {@code headerRing} are rounded up to powers of two. */
    PacketRing(int size, int headerRing, int headerBytes) {
        this.size = Integer.highestOneBit(Math.max(1, size - 1)) << 1;
        cap = Math.min(this.size, FIRST);
        packets = new long[cap * STRIDE];
        headerRing = Integer.highestOneBit(Math.max(1, headerRing - 1)) << 1;
        this.headerRing = headerBytes > 0 ? headerRing : 0;
        this.headerBytes = headerBytes;
        slots = headerBytes > 0 ? this.headerRing + SPECIALS : 0;
        headerMeta = new long[slots * META];
    }

    void clear() {
        count = 0;
        specials = 0;
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

    /**
     * Keeps the header bytes {@code buf[off, off+n)} of frame {@code f}, the packet {@link #add}ed last, in the
     * ring, and in {@code special} (-1: none): where they can be read again when {@code dataAt >= 0}, else a copy.
     */
    void keepHeader(long f, int linkType, byte[] buf, int off, int n, int special, long dataAt, FrameBytes reader) {
        if (headerBytes == 0) {
            return;
        }
        int slot = (count - 1) & (headerRing - 1);
        if (buf == null || n <= 0 || off < 0 || off + n > buf.length) {
            if (count <= headerRing) {
                // its first use for this connection: what it holds is another's
                headerMeta[slot * META] = 0;
            }
            return;
        }
        int m = Math.min(n, headerBytes);
        long at = reader != null ? dataAt : -1;
        if (at >= 0 && reader != frames) {
            frames = reader;
        }
        store(slot, f, linkType, buf, off, m, at);
        if (special >= 0 && (specials & 1 << special) == 0) {
            specials |= 1 << special;
            store(headerRing + special, f, linkType, buf, off, m, at);
        }
    }

    /** Frees the RST slots, so that the header of a later RST (the one that ended the connection) is kept. */
    void forgetRstHeaders() {
        specials &= ~(1 << RST | 1 << SPECIALS / 2 + RST);
    }

    private void store(int slot, long f, int linkType, byte[] buf, int off, int m, long dataAt) {
        int k = slot * META;
        if (dataAt < 0) {
            if (headers == null) {
                headers = new byte[slots * headerBytes];
            }
            System.arraycopy(buf, off, headers, slot * headerBytes, m);
        }
        headerMeta[k] = f;
        headerMeta[k + 1] = (long) m << 32 | (linkType & 0xFFFF_FFFFL);
        headerMeta[k + 2] = dataAt;
        headerMeta[k + 3] = dataAt < 0 ? 0 : check(buf, off, m);
    }

    /**
     * The last bytes kept (a TCP checksum, options, a timestamp echo): read again, bytes without them are
     * another packet's, the file having changed under the analysis (a ring of capture files overwritten
     * while it is read), and no dump is better than a wrong one.
     */
    private static long check(byte[] b, int off, int m) {
        if (m >= 4) {
            return Bytes.i32be(b, off + m - 4) & 0xFFFF_FFFFL;
        }
        long h = 0;
        for (int i = 0; i < m; i++) {
            h = h << 8 | b[off + i] & 0xFF;
        }
        return h;
    }

    /** The bytes of a slot (of {@code meta}) read again, or {@code null} when they cannot be, or are not what was kept. */
    private static byte[] readAgain(FrameBytes frames, long[] meta, int k) {
        int m = (int) (meta[k + 1] >>> 32);
        byte[] b = frames.read(meta[k + 2], m);
        return b != null && b.length == m && check(b, 0, m) == meta[k + 3] ? b : null;
    }

    /** Whether header slot {@code i} holds a packet of this connection. */
    private boolean kept(int i) {
        return i < headerRing ? i < count : (specials & 1 << (i - headerRing)) != 0;
    }

    private int slotOf(long f) {
        if (f <= 0) {
            return -1;
        }
        for (int i = 0; i < slots; i++) {
            if (kept(i) && headerMeta[i * META] == f) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public byte[] headerBytes(long f) {
        int s = slotOf(f);
        if (s < 0) {
            return null;
        }
        return headerMeta[s * META + 2] >= 0 ? readAgain(frames, headerMeta, s * META) : copied(s);
    }

    /** A copy of the bytes copied into slot {@code s}. */
    private byte[] copied(int s) {
        return Arrays.copyOfRange(headers, s * headerBytes, s * headerBytes + (int) (headerMeta[s * META + 1] >>> 32));
    }

    @Override
    public int linkType(long f) {
        int s = slotOf(f);
        return s < 0 ? -1 : (int) headerMeta[s * META + 1];
    }

    /** Copies what the slots say (and the bytes copied into the ring); bytes that can be read again are read when asked for. */
    @Override
    public PacketHeaders snapshot() {
        List<Integer> kept = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            long f = headerMeta[i * META];
            if (kept(i) && f > 0 && !seen.contains(f)) {
                seen.add(f);
                kept.add(i);
            }
        }
        int n = kept.size();
        long[] meta = new long[n * META];
        byte[][] copied = new byte[n][];
        for (int j = 0; j < n; j++) {
            int s = kept.get(j);
            System.arraycopy(headerMeta, s * META, meta, j * META, META);
            if (meta[j * META + 2] < 0) {
                copied[j] = copied(s);
            }
        }
        return new Snapshot(meta, copied, frames);
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

    /**
     * An independent copy of the kept headers, for flows whose verdict waits for the end of the capture:
     * the slots' words as {@link #headerMeta} has them, and the bytes that were copied.
     */
    private record Snapshot(long[] meta, byte[][] copied, FrameBytes frames) implements PacketHeaders {
        private int indexOf(long f) {
            for (int i = 0; i < copied.length; i++) {
                if (meta[i * META] == f) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public byte[] headerBytes(long f) {
            int i = indexOf(f);
            if (i < 0) {
                return null;
            }
            return meta[i * META + 2] >= 0 ? readAgain(frames, meta, i * META) : copied[i].clone();
        }

        @Override
        public int linkType(long f) {
            int i = indexOf(f);
            return i < 0 ? -1 : (int) meta[i * META + 1];
        }

        @Override
        public PacketHeaders snapshot() {
            return this;
        }
    }
}
