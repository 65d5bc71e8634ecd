package dev.tcpautopsy.flow;

/**
 * The stream numbers of the streams the tracking threads know by another key ({@link ShardedTracker}):
 * an open-addressing table of {@code long} keys and values, with no object per entry. It holds the
 * streams still open or remembered by a tombstone, tens of thousands on a capture of connection churn,
 * looked up, added and dropped once or more per connection on the merging thread.
 */
final class StreamNumbers {
    /** Keys plus one (0: empty slot), and their values. */
    private long[] keys = new long[1024], values = new long[1024];
    private int size, mask = 1023;

    /** Keys are at least 0. */
    void put(long key, long value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int i = slot(key);
        if (keys[i] == 0) {
            keys[i] = key + 1;
            size++;
        }
        values[i] = value;
    }

    /** The value of {@code key}; it must be there. */
    long get(long key) {
        int i = slot(key);
        if (keys[i] == 0) {
            throw new IllegalStateException("no stream number for key " + key);
        }
        return values[i];
    }

    void remove(long key) {
        int i = slot(key);
        if (keys[i] == 0) {
            return;
        }
        // backward-shift deletion: the entries after the hole move up if their home slot allows it
        int hole = i;
        int j = (i + 1) & mask;
        while (keys[j] != 0) {
            int home = home(keys[j] - 1);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        keys[hole] = 0;
        size--;
    }

    int size() {
        return size;
    }

    private int home(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ h >>> 32) & mask;
    }

    /** The slot of {@code key}, or the empty slot where it would go. */
    private int slot(long key) {
        int i = home(key);
        while (keys[i] != 0 && keys[i] != key + 1) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] k = keys, v = values;
        keys = new long[k.length * 2];
        values = new long[k.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != 0) {
                int s = slot(k[i] - 1);
                keys[s] = k[i];
                values[s] = v[i];
            }
        }
    }
}
