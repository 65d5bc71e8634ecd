package dev.tcpautopsy.synth;

import java.util.Arrays;

/**
 * The packets one connection has planned but not yet written, kept sorted by capture time.
 * Struct-of-arrays, grown by doubling and then reused for the connection's whole life and for
 * every connection that later takes its slot: after warm-up, planning allocates nothing.
 *
 * <p>Sequence and acknowledgement numbers are relative to the sender's / receiver's ISN (the SYN
 * is 0), so scripts can count bytes; the frame builder adds the ISNs.
 */
final class PacketQueue {
    // meta bits: the TCP flags byte, then where the packet goes and how it is dressed
    static final int S2C = 1 << 8;
    static final int OPT_SYN = 1 << 9;
    static final int OPT_NONE = 2 << 9;
    static final int OPT_MASK = 3 << 9;
    static final int SACK = 1 << 11;
    static final int IPID_ZERO = 1 << 12;
    static final int ABS_SEQ = 1 << 13;
    static final int RETRANS = 1 << 14;
    static final int TTL_SHIFT = 16;
    /** Room for the largest phase a script plans (a response chunk, its ACKs and a request): no growth in practice. */
    static final int CAPACITY = 256;

    long[] time = new long[CAPACITY];
    long[] seq = new long[CAPACITY];
    long[] ack = new long[CAPACITY];
    long[] sackL = new long[CAPACITY];
    long[] sackR = new long[CAPACITY];
    int[] len = new int[CAPACITY];
    int[] win = new int[CAPACITY];
    int[] meta = new int[CAPACITY];
    int head;
    int size;

    boolean isEmpty() {
        return head == size;
    }

    long headTime() {
        return time[head];
    }

    /** Capture time of the latest planned packet. */
    long lastTime() {
        return time[size - 1];
    }

    void clear() {
        head = 0;
        size = 0;
    }

    void pop() {
        if (++head == size) {
            head = 0;
            size = 0;
        }
    }

    /** Plans a packet; returns its index (valid until the next add or pop). Equal times keep insertion order. */
    int add(long t, int meta, long seq, long ack, int len, int win) {
        if (size == time.length) {
            grow();
        }
        int i = size;
        while (i > head && time[i - 1] > t) {
            i--;
        }
        if (i < size) {
            int n = size - i;
            System.arraycopy(time, i, time, i + 1, n);
            System.arraycopy(this.seq, i, this.seq, i + 1, n);
            System.arraycopy(this.ack, i, this.ack, i + 1, n);
            System.arraycopy(sackL, i, sackL, i + 1, n);
            System.arraycopy(sackR, i, sackR, i + 1, n);
            System.arraycopy(this.len, i, this.len, i + 1, n);
            System.arraycopy(this.win, i, this.win, i + 1, n);
            System.arraycopy(this.meta, i, this.meta, i + 1, n);
        }
        time[i] = t;
        this.meta[i] = meta;
        this.seq[i] = seq;
        this.ack[i] = ack;
        this.len[i] = len;
        this.win[i] = win;
        size++;
        return i;
    }

    /** Plans a pure ACK carrying one SACK block [left, right). */
    void addSack(long t, int meta, long seq, long ack, int win, long left, long right) {
        int i = add(t, meta | SACK, seq, ack, 0, win);
        sackL[i] = left;
        sackR[i] = right;
    }

    private void grow() {
        int n = time.length * 2;
        time = Arrays.copyOf(time, n);
        seq = Arrays.copyOf(seq, n);
        ack = Arrays.copyOf(ack, n);
        sackL = Arrays.copyOf(sackL, n);
        sackR = Arrays.copyOf(sackR, n);
        len = Arrays.copyOf(len, n);
        win = Arrays.copyOf(win, n);
        meta = Arrays.copyOf(meta, n);
    }
}
