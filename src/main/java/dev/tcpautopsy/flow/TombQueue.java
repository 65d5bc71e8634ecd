package dev.tcpautopsy.flow;

/**
 * The tombstones of the flow table in the order they were made, so they can be forgotten after a
 * while (capture time) or when there are too many. Keys are copied in, as table slots move.
 */
final class TombQueue {
    private long[] lowHi = new long[64], lowLo = new long[64], highHi = new long[64], highLo = new long[64];
    private long[] streams = new long[64], times = new long[64];
    private int[] ports = new int[64];
    private int head, size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** When the oldest entry was made or touched. */
    long headTime() {
        return times[head];
    }

    void add(FlowTable t, int slot, long stream, long time) {
        if (size == times.length) {
            grow();
        }
        int i = (head + size) & (times.length - 1);
        lowHi[i] = t.keyLowHi(slot);
        lowLo[i] = t.keyLowLo(slot);
        highHi[i] = t.keyHighHi(slot);
        highLo[i] = t.keyHighLo(slot);
        ports[i] = t.keyPorts(slot);
        streams[i] = stream;
        times[i] = time;
        size++;
    }

    /**
     * Forgets tombstones last touched at or before {@code cutoff}, and the oldest beyond {@code max}, telling
     * {@code shard} of each.
     * An entry whose tombstone was touched since (by a late packet, which queued a newer entry) is
     * dropped without forgetting the tombstone.
     */
    void expire(FlowTable t, long cutoff, int max, Shard shard) {
        while (size > 0 && (times[head] <= cutoff || size > max)) {
            int slot = t.findCanonical(lowHi[head], lowLo[head], highHi[head], highLo[head], ports[head]);
            if (slot >= 0 && t.kind(slot) == FlowTable.TOMB && t.tombStream(slot) == streams[head]
                    && (t.tombTime(slot) == times[head] || size > max)) {
                t.remove(slot);
                shard.forgot(streams[head]);
            }
            head = (head + 1) & (times.length - 1);
            size--;
        }
    }

    private void grow() {
        int n = times.length;
        long[] a = new long[n * 2], b = new long[n * 2], c = new long[n * 2], d = new long[n * 2];
        long[] s = new long[n * 2], tm = new long[n * 2];
        int[] p = new int[n * 2];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (n - 1);
            a[k] = lowHi[i];
            b[k] = lowLo[i];
            c[k] = highHi[i];
            d[k] = highLo[i];
            s[k] = streams[i];
            tm[k] = times[i];
            p[k] = ports[i];
        }
        lowHi = a;
        lowLo = b;
        highHi = c;
        highLo = d;
        streams = s;
        times = tm;
        ports = p;
        head = 0;
    }
}
