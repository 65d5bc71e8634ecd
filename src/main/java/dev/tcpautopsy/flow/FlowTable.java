package dev.tcpautopsy.flow;

/**
 * The connections by 4-tuple: open addressing with linear probing over primitive arrays (two 128-bit
 * addresses and two ports per slot), so a lookup boxes nothing and allocates nothing.
 *
 * <p>Keys are canonical (the lower address/port pair first), so both directions find the same slot.
 * A slot holds a live {@link Connection} or a <em>tombstone</em>: the stream number and base sequence
 * numbers of a connection already handed on, kept for a while so that a late packet on its 4-tuple is
 * numbered as Wireshark numbers it (in the old stream) rather than opening a new one. Removal shifts
 * the following entries back (Knuth's algorithm R), so churn leaves no deleted markers and never
 * forces a rehash; the table only grows, when more than half full.
 */
final class FlowTable {
    static final byte EMPTY = 0, LIVE = 1, TOMB = 2;

    /**
     * Words per slot, side by side so that a lookup touches one place, not one array per field: lowHi, lowLo,
     * highHi, highLo, hash|ports, then the slot's kind and its live connection's number ({@link #meta}).
     * With thousands of connections open at once the slots no longer stay in the cache, and each array
     * read was a miss of its own (bench/results/per-connection-cost.md).
     */
    private static final int STRIDE = 6;

    private int mask;
    /**
     * The slots' words ({@link #STRIDE} a slot). A live connection is kept as its number in {@link #byNumber}
     * plus one (0: none), not a reference: a slot is rewritten for every connection that opens or ends, and a
     * reference stored into this array (in the old generation by then) marks a card that the next young
     * collection scans; pooled connections keep their number.
     */
    private long[] keys;
    private final Numbers numbers;
    private long[] tombStream, tombTime;
    private int[] tombBaseLow, tombBaseHigh;
    private byte[] tombFlags;
    private int size;

    // results of the last find(), to save recomputing the canonical key on insert
    private long kLowHi, kLowLo, kHighHi, kHighLo;
    private int kPorts, kHash;
    /** Whether the sender of the last find() was the canonical low side. */
    boolean lastSrcIsLow;

    /**
     * The numbers of the pooled connections, shared by the tables of the connections of one pool: a
     * connection keeps its number whichever table it goes to next.
     */
    static final class Numbers {
        private Connection[] byNumber = new Connection[64];
        private int numbered;

        int of(Connection c) {
            if (c.tableNumber < 0) {
                if (numbered == byNumber.length) {
                    byNumber = java.util.Arrays.copyOf(byNumber, 2 * numbered);
                }
                byNumber[numbered] = c;
                c.tableNumber = numbered++;
            }
            return c.tableNumber;
        }
    }

    FlowTable(int initialCapacity) {
        this(initialCapacity, new Numbers());
    }

    FlowTable(int initialCapacity, Numbers numbers) {
        this.numbers = numbers;
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity) - 1) << 1;
        allocate(cap);
    }

    private void allocate(int cap) {
        mask = cap - 1;
        keys = new long[cap * STRIDE];
        tombStream = new long[cap];
        tombTime = new long[cap];
        tombBaseLow = new int[cap];
        tombBaseHigh = new int[cap];
        tombFlags = new byte[cap];
        size = 0;
    }

    int size() {
        return size;
    }

    int capacity() {
        return mask + 1;
    }

    /**
     * Looks up the 4-tuple of a segment from {@code (sHi,sLo,sPort)} to {@code (dHi,dLo,dPort)}.
     *
     * @return the slot, or {@code -(free slot) - 1} when absent
     */
    int find(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort) {
        int c = Long.compareUnsigned(sHi, dHi);
        if (c == 0) {
            c = Long.compareUnsigned(sLo, dLo);
        }
        if (c == 0) {
            c = Integer.compare(sPort, dPort);
        }
        lastSrcIsLow = c <= 0;
        if (lastSrcIsLow) {
            kLowHi = sHi;
            kLowLo = sLo;
            kHighHi = dHi;
            kHighLo = dLo;
            kPorts = sPort << 16 | dPort;
        } else {
            kLowHi = dHi;
            kLowLo = dLo;
            kHighHi = sHi;
            kHighLo = sLo;
            kPorts = dPort << 16 | sPort;
        }
        // every word goes through a multiply, and the sum through murmur3's finalizer: neighbouring
        // ports and addresses must not land in neighbouring slots (linear probing would cluster them)
        long h = kLowHi * 0x9E37_79B9_7F4A_7C15L ^ kLowLo * 0xC2B2_AE3D_27D4_EB4FL
                ^ kHighHi * 0x1656_67B1_9E37_79F9L ^ kHighLo * 0x85EB_CA77_C2B2_AE63L ^ kPorts * 0x27D4_EB2F_1656_67C5L;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        kHash = (int) h;
        long tag = (long) kHash << 32 | (kPorts & 0xFFFF_FFFFL);
        int i = kHash & mask;
        while (keys[i * STRIDE + 5] != 0) {
            int k = i * STRIDE;
            if (keys[k + 4] == tag && keys[k + 1] == kLowLo && keys[k + 3] == kHighLo && keys[k] == kLowHi
                    && keys[k + 2] == kHighHi) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -i - 1;
    }

    /** The kind and connection number of a slot in one word: an empty slot's is 0. */
    private static long meta(byte kind, int number) {
        return (long) kind << 32 | number & 0xFFFF_FFFFL;
    }

    byte kind(int slot) {
        return (byte) (keys[slot * STRIDE + 5] >>> 32);
    }

    Connection conn(int slot) {
        int n = (int) keys[slot * STRIDE + 5];
        return n == 0 ? null : numbers.byNumber[n - 1];
    }

    /** The connection's number plus one, numbering it at its first insertion into this table. */
    private int number(Connection c) {
        return numbers.of(c) + 1;
    }

    /** Inserts the key of the last {@link #find} (which returned {@code encodedFree}) with a live connection. */
    int insertLive(int encodedFree, Connection c) {
        int slot = -encodedFree - 1;
        if ((size + 1) * 2 > capacity()) {
            grow();
            slot = freeSlotFor(kHash);
        }
        int k = slot * STRIDE;
        keys[k] = kLowHi;
        keys[k + 1] = kLowLo;
        keys[k + 2] = kHighHi;
        keys[k + 3] = kHighLo;
        keys[k + 4] = (long) kHash << 32 | (kPorts & 0xFFFF_FFFFL);
        keys[k + 5] = meta(LIVE, number(c));
        size++;
        return slot;
    }

    void replaceLive(int slot, Connection c) {
        keys[slot * STRIDE + 5] = meta(LIVE, number(c));
    }

    /** Turns a slot into a tombstone remembering {@code stream} and the two sides' base sequence numbers. */
    void bury(int slot, long stream, int baseLow, boolean setLow, int baseHigh, boolean setHigh, long time) {
        keys[slot * STRIDE + 5] = meta(TOMB, 0);
        tombTime[slot] = time;
        tombStream[slot] = stream;
        tombBaseLow[slot] = baseLow;
        tombBaseHigh[slot] = baseHigh;
        tombFlags[slot] = (byte) ((setLow ? 1 : 0) | (setHigh ? 2 : 0));
    }

    long tombStream(int slot) {
        return tombStream[slot];
    }

    /** When the tombstone was made or last hit by a late packet. */
    long tombTime(int slot) {
        return tombTime[slot];
    }

    void touchTomb(int slot, long time) {
        tombTime[slot] = time;
    }

    /** Whether the tombstone knows the base sequence of the low (or high) side, and it differs from {@code seq}. */
    boolean tombBaseDiffers(int slot, boolean lowSide, int seq) {
        if (lowSide) {
            return (tombFlags[slot] & 1) != 0 && tombBaseLow[slot] != seq;
        }
        return (tombFlags[slot] & 2) != 0 && tombBaseHigh[slot] != seq;
    }

    /** The canonical key of a slot, for the tombstone queue. */
    long keyLowHi(int s) {
        return keys[s * STRIDE];
    }

    long keyLowLo(int s) {
        return keys[s * STRIDE + 1];
    }

    long keyHighHi(int s) {
        return keys[s * STRIDE + 2];
    }

    long keyHighLo(int s) {
        return keys[s * STRIDE + 3];
    }

    int keyPorts(int s) {
        return (int) keys[s * STRIDE + 4];
    }

    private int hashOf(int s) {
        return (int) (keys[s * STRIDE + 4] >>> 32);
    }

    /** Finds a slot by canonical key (as stored), -1 when absent. */
    int findCanonical(long lHi, long lLo, long hHi, long hLo, int p) {
        int slot = find(lHi, lLo, p >>> 16, hHi, hLo, p & 0xFFFF);
        return slot >= 0 ? slot : -1;
    }

    /** Empties a slot, shifting later entries of its probe run back into place. */
    void remove(int slot) {
        int i = slot;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (keys[j * STRIDE + 5] == 0) {
                break;
            }
            int home = hashOf(j) & mask;
            // move j back to i unless its home lies cyclically in (i, j]
            boolean homeBetween = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!homeBetween) {
                copy(j, i);
                i = j;
            }
        }
        keys[i * STRIDE + 5] = 0;
        size--;
    }

    private void copy(int from, int to) {
        System.arraycopy(keys, from * STRIDE, keys, to * STRIDE, STRIDE);
        tombStream[to] = tombStream[from];
        tombTime[to] = tombTime[from];
        tombBaseLow[to] = tombBaseLow[from];
        tombBaseHigh[to] = tombBaseHigh[from];
        tombFlags[to] = tombFlags[from];
    }

    private int freeSlotFor(int h) {
        int i = h & mask;
        while (keys[i * STRIDE + 5] != 0) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] oKeys = keys, oTomb = tombStream;
        long[] oTime = tombTime;
        int[] oBaseLow = tombBaseLow, oBaseHigh = tombBaseHigh;
        byte[] oFlags = tombFlags;
        int n = size, old = oKeys.length / STRIDE;
        allocate(old * 2);
        for (int s = 0; s < old; s++) {
            if (oKeys[s * STRIDE + 5] == 0) {
                continue;
            }
            int i = freeSlotFor((int) (oKeys[s * STRIDE + 4] >>> 32));
            System.arraycopy(oKeys, s * STRIDE, keys, i * STRIDE, STRIDE);
            tombStream[i] = oTomb[s];
            tombTime[i] = oTime[s];
            tombBaseLow[i] = oBaseLow[s];
            tombBaseHigh[i] = oBaseHigh[s];
            tombFlags[i] = oFlags[s];
        }
        size = n;
    }

    /** Visits every live connection (for the end of the capture); the table must not change meanwhile. */
    void forEachLive(java.util.function.Consumer<Connection> action) {
        for (int s = 0; s <= mask; s++) {
            if (kind(s) == LIVE) {
                action.accept(numbers.byNumber[(int) keys[s * STRIDE + 5] - 1]);
            }
        }
    }
}
