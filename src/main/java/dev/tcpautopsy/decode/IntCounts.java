package dev.tcpautopsy.decode;

import java.util.Arrays;

/**
 * Counts per int key without boxing: open addressing over two arrays, with the last key cached
 * because a capture usually repeats one key (its link type) for every packet.
 */
final class IntCounts {
    private static final int EMPTY = Integer.MIN_VALUE;

    private int[] keys = new int[16];
    private long[] counts = new long[16];
    private int size;
    private int lastKey = EMPTY;
    private int lastSlot;

    IntCounts() {
        Arrays.fill(keys, EMPTY);
    }

    void add(int key) {
        if (key == lastKey) {
            counts[lastSlot]++;
            return;
        }
        addSlow(key);
    }

    private void addSlow(int key) {
        int slot = slot(key);
        if (keys[slot] == EMPTY) {
            if (2 * (size + 1) > keys.length) {
                grow();
                slot = slot(key);
            }
            keys[slot] = key;
            size++;
        }
        counts[slot]++;
        lastKey = key;
        lastSlot = slot;
    }

    private int slot(int key) {
        int mask = keys.length - 1;
        int i = (key * 0x9E3779B9 >>> 16) & mask;
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        int[] oldKeys = keys;
        long[] oldCounts = counts;
        keys = new int[oldKeys.length * 2];
        counts = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int s = slot(oldKeys[i]);
                keys[s] = oldKeys[i];
                counts[s] = oldCounts[i];
            }
        }
        lastKey = EMPTY;
    }

    /** The keys seen, ascending. */
    int[] keys() {
        int[] out = new int[size];
        int n = 0;
        for (int k : keys) {
            if (k != EMPTY) {
                out[n++] = k;
            }
        }
        Arrays.sort(out);
        return out;
    }

    long get(int key) {
        int s = slot(key);
        return keys[s] == key ? counts[s] : 0;
    }
}
