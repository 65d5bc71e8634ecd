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

    private int mask;
    private byte[] kind;
    private int[] hash;
    private long[] lowHi, lowLo, highHi, highLo;
    private int[] ports;
    private Connection[] conns;
    private long[] tombStream, tombTime;
    private int[] tombBaseLow, tombBaseHigh;
    private byte[] tombFlags;
    private int size;

    // results of the last find(), to save recomputing the canonical key on insert
    private long kLowHi, kLowLo, kHighHi, kHighLo;
    private int kPorts, kHash;
    /** Whether the sender of the last find() was the canonical low side. */
    boolean lastSrcIsLow;

    FlowTable(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity) - 1) << 1;
        allocate(cap);
    }

    private void allocate(int cap) {
        mask = cap - 1;
        kind = new byte[cap];
        hash = new int[cap];
        lowHi = new long[cap];
        lowLo = new long[cap];
        highHi = new long[cap];
        highLo = new long[cap];
        ports = new int[cap];
        conns = new Connection[cap];
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
        long h = kLowHi * 0x9E37_79B9_7F4A_7C15L + kLowLo;
        h = (h ^ (h >>> 29)) * 0xBF58_476D_1CE4_E5B9L + kHighHi;
        h = (h ^ (h >>> 31)) * 0x94D0_49BB_1331_11EBL + kHighLo;
        h = (h ^ (h >>> 29)) * 0x9E37_79B9_7F4A_7C15L + kPorts;
        h ^= h >>> 32;
        kHash = (int) h;
        int i = kHash & mask;
        while (kind[i] != EMPTY) {
            if (hash[i] == kHash && ports[i] == kPorts && lowLo[i] == kLowLo && highLo[i] == kHighLo
                    && lowHi[i] == kLowHi && highHi[i] == kHighHi) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -i - 1;
    }

    byte kind(int slot) {
        return kind[slot];
    }

    Connection conn(int slot) {
        return conns[slot];
    }

    /** Inserts the key of the last {@link #find} (which returned {@code encodedFree}) with a live connection. */
    int insertLive(int encodedFree, Connection c) {
        int slot = -encodedFree - 1;
        if ((size + 1) * 2 > capacity()) {
            grow();
            slot = freeSlotFor(kHash);
        }
        kind[slot] = LIVE;
        hash[slot] = kHash;
        lowHi[slot] = kLowHi;
        lowLo[slot] = kLowLo;
        highHi[slot] = kHighHi;
        highLo[slot] = kHighLo;
        ports[slot] = kPorts;
        conns[slot] = c;
        size++;
        return slot;
    }

    void replaceLive(int slot, Connection c) {
        kind[slot] = LIVE;
        conns[slot] = c;
    }

    /** Turns a slot into a tombstone remembering {@code stream} and the two sides' base sequence numbers. */
    void bury(int slot, long stream, int baseLow, boolean setLow, int baseHigh, boolean setHigh, long time) {
        kind[slot] = TOMB;
        tombTime[slot] = time;
        conns[slot] = null;
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
        return lowHi[s];
    }

    long keyLowLo(int s) {
        return lowLo[s];
    }

    long keyHighHi(int s) {
        return highHi[s];
    }

    long keyHighLo(int s) {
        return highLo[s];
    }

    int keyPorts(int s) {
        return ports[s];
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
            if (kind[j] == EMPTY) {
                break;
            }
            int home = hash[j] & mask;
            // move j back to i unless its home lies cyclically in (i, j]
            boolean homeBetween = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!homeBetween) {
                copy(j, i);
                i = j;
            }
        }
        kind[i] = EMPTY;
        conns[i] = null;
        size--;
    }

    private void copy(int from, int to) {
        kind[to] = kind[from];
        hash[to] = hash[from];
        lowHi[to] = lowHi[from];
        lowLo[to] = lowLo[from];
        highHi[to] = highHi[from];
        highLo[to] = highLo[from];
        ports[to] = ports[from];
        conns[to] = conns[from];
        tombStream[to] = tombStream[from];
        tombTime[to] = tombTime[from];
        tombBaseLow[to] = tombBaseLow[from];
        tombBaseHigh[to] = tombBaseHigh[from];
        tombFlags[to] = tombFlags[from];
    }

    private int freeSlotFor(int h) {
        int i = h & mask;
        while (kind[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        byte[] oKind = kind;
        int[] oHash = hash;
        long[] oLowHi = lowHi, oLowLo = lowLo, oHighHi = highHi, oHighLo = highLo, oTomb = tombStream;
        long[] oTime = tombTime;
        int[] oPorts = ports, oBaseLow = tombBaseLow, oBaseHigh = tombBaseHigh;
        Connection[] oConns = conns;
        byte[] oFlags = tombFlags;
        int n = size;
        allocate(oKind.length * 2);
        for (int s = 0; s < oKind.length; s++) {
            if (oKind[s] == EMPTY) {
                continue;
            }
            int i = freeSlotFor(oHash[s]);
            kind[i] = oKind[s];
            hash[i] = oHash[s];
            lowHi[i] = oLowHi[s];
            lowLo[i] = oLowLo[s];
            highHi[i] = oHighHi[s];
            highLo[i] = oHighLo[s];
            ports[i] = oPorts[s];
            conns[i] = oConns[s];
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
            if (kind[s] == LIVE) {
                action.accept(conns[s]);
            }
        }
    }
}
