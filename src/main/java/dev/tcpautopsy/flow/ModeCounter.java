package dev.tcpautopsy.flow;

/**
 * The most common of a few small values (TTLs) in constant space: four value/count slots; a value
 * that finds no free slot replaces the rarest one (the mode of a host's own packets dominates, so it
 * is never the one replaced).
 */
final class ModeCounter {
    private final int[] values = new int[4];
    private final long[] counts = new long[4];

    void clear() {
        for (int i = 0; i < 4; i++) {
            values[i] = -1;
            counts[i] = 0;
        }
    }

    ModeCounter() {
        clear();
    }

    void add(int value) {
        add(value, 1);
    }

    void add(int value, long n) {
        int rarest = 0;
        for (int i = 0; i < 4; i++) {
            if (values[i] == value) {
                counts[i] += n;
                return;
            }
            if (counts[i] < counts[rarest]) {
                rarest = i;
            }
        }
        values[rarest] = value;
        counts[rarest] = n;
    }

    /** The most common value, -1 when none. */
    int mode() {
        int best = 0;
        for (int i = 1; i < 4; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return counts[best] == 0 ? -1 : values[best];
    }

    /** How many times the mode was seen. */
    long modeCount() {
        long best = 0;
        for (long c : counts) {
            best = Math.max(best, c);
        }
        return best;
    }

    long total() {
        return counts[0] + counts[1] + counts[2] + counts[3];
    }
}
