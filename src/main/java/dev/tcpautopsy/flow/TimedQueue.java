package dev.tcpautopsy.flow;

/**
 * A FIFO of connections with the time each was queued and its generation at that time (a pooled
 * connection reused since is recognised as stale). A growable ring of arrays: no node per entry.
 */
final class TimedQueue {
    private Connection[] conns = new Connection[64];
    private int[] gens = new int[64];
    private long[] times = new long[64];
    private int head, size;

    boolean isEmpty() {
        return size == 0;
    }

    void add(Connection c, long time) {
        if (size == conns.length) {
            grow();
        }
        int i = (head + size) & (conns.length - 1);
        conns[i] = c;
        gens[i] = c.generation;
        times[i] = time;
        size++;
    }

    Connection head() {
        return conns[head];
    }

    int headGeneration() {
        return gens[head];
    }

    long headTime() {
        return times[head];
    }

    void pop() {
        conns[head] = null;
        head = (head + 1) & (conns.length - 1);
        size--;
    }

    int size() {
        return size;
    }

    /** Drops the entries whose connection was reused since they were queued, keeping the order. */
    void retainLive() {
        int n = conns.length, kept = 0;
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (n - 1);
            Connection c = conns[i];
            if (c.generation == gens[i]) {
                int j = (head + kept) & (n - 1);
                conns[j] = c;
                gens[j] = gens[i];
                times[j] = times[i];
                kept++;
            }
        }
        for (int k = kept; k < size; k++) {
            conns[(head + k) & (n - 1)] = null;
        }
        size = kept;
    }

    void clear() {
        while (size > 0) {
            pop();
        }
    }

    private void grow() {
        int n = conns.length;
        Connection[] c = new Connection[n * 2];
        int[] g = new int[n * 2];
        long[] t = new long[n * 2];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (n - 1);
            c[k] = conns[i];
            g[k] = gens[i];
            t[k] = times[i];
        }
        conns = c;
        gens = g;
        times = t;
        head = 0;
    }
}
