package dev.tcpautopsy.flow;

import java.util.concurrent.BlockingQueue;

/** What the threads of one capture's analysis do when they wait for each other, in one place. */
public final class Waiting {
    private Waiting() {
    }

    /** Waits until {@code t} has ended, whatever interrupts come meanwhile (the interrupt status is kept). */
    public static void join(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Puts {@code o} into {@code q}, waiting for room; interrupted, it fails "interrupted while {@code doing}". */
    public static <T> void put(BlockingQueue<T> q, T o, String doing) {
        try {
            q.put(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        }
    }

    /** Throws another thread's failure on this one: a RuntimeException or an Error as it is; null: nothing. */
    public static void rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }
}
