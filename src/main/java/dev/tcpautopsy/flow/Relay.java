package dev.tcpautopsy.flow;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Items handed from one thread to a thread of its own, in order, a chunk at a time through a bounded
 * queue: the giving thread fills a chunk and goes on with its work, the other takes each chunk whole.
 * Nothing is allocated per item.
 *
 * <p>Calling order, on the giving thread: {@link #add} for each item, then {@link #finish} once. A failure
 * of the taking side is thrown on the giving thread: once by the next {@code add}, so that it stops, and
 * again by {@code finish}; after it, the taking thread keeps taking chunks without looking at them, so
 * that the giving thread never waits on a full queue.
 */
public final class Relay<T> {
    private static final Object[] END = new Object[0];

    private final BlockingQueue<Object[]> queue;
    private final int chunkSize;
    private final Consumer<Object[]> take;
    private final String doing;
    private final Thread thread;
    private Object[] chunk;
    private int filled;
    private volatile Throwable failure;
    private boolean reported, ended;

    /**
     * @param chunk  items handed over at a time
     * @param queued chunks that may wait before {@link #add} waits
     * @param take   called on the thread named {@code name} with each chunk (full, but the last), in order
     * @param doing  what the taking side does, for the message when interrupted ("judging connections")
     */
    public Relay(String name, int chunk, int queued, Consumer<Object[]> take, String doing) {
        this.chunkSize = chunk;
        this.chunk = new Object[chunk];
        this.queue = new ArrayBlockingQueue<>(queued);
        this.take = take;
        this.doing = doing;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    public void add(T item) {
        if (failure != null && !reported) {
            reported = true;
            Waiting.rethrow(failure);
        }
        chunk[filled++] = item;
        if (filled == chunkSize) {
            Waiting.put(queue, chunk, doing);
            chunk = new Object[chunkSize];
            filled = 0;
        }
    }

    /** Hands on what is left and waits until every chunk was taken. */
    public void finish() {
        if (ended) {
            return;
        }
        ended = true;
        if (filled > 0) {
            Waiting.put(queue, Arrays.copyOf(chunk, filled), doing);
            filled = 0;
        }
        Waiting.put(queue, END, doing);
        Waiting.join(thread);
        Waiting.rethrow(failure);
    }

    private void run() {
        try {
            while (true) {
                Object[] c = queue.take();
                if (c == END) {
                    return;
                }
                if (failure == null) {
                    try {
                        take.accept(c);
                    } catch (RuntimeException | Error e) {
                        failure = e;
                    }
                }
            }
        } catch (InterruptedException e) {
            failure = new IllegalStateException("interrupted while " + doing, e);
        }
    }
}
