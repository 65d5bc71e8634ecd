package dev.tcpautopsy.capture;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a source a buffer ahead on a thread of its own, so that producing the bytes overlaps the
 * analysis of the buffer before: inflating a compressed capture, or reading a plain one once tracking
 * has many threads (see {@link Captures#open(java.nio.file.Path, CaptureLimits, boolean, boolean)} for
 * why only those). {@link ByteInput} takes each filled buffer whole, so no byte is copied twice: the
 * unread tail of the buffer it leaves goes into the {@link #HEAD} bytes kept free in front of the new
 * one's data.
 *
 * <p>Three buffers go round: the one being read, one filled and waiting, one being filled. A failure
 * of the source comes with the bytes read before it and is thrown when those are used up, as when the
 * reader reads the source itself.
 */
final class ReadAhead {
    /** Room in front of each buffer's data for the unread tail of the one before (a record's start). */
    static final int HEAD = 64 * 1024;
    private static final int BUFFERS = 3;

    /** A filled buffer: {@code len} bytes at {@link #HEAD}; {@code end} when the source ended after them. */
    record Chunk(byte[] buf, int len, boolean end, IOException failure, long consumed) {
    }

    private final Source src;
    private final int size;
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final Thread thread;
    private volatile boolean stopped;

    /** @param size bytes of data a buffer holds (after its {@link #HEAD}) */
    ReadAhead(Source src, int size, String name) {
        this.src = src;
        this.size = size;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[HEAD + size]);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether {@code buf} can go round as one of the buffers (it has their length); a reader's array of
     * another length (the empty first one, one gathered for a large request) is left to the collector.
     */
    boolean owns(byte[] buf) {
        return buf.length == HEAD + size;
    }

    /** The next filled buffer, in order (blocks until it is filled). */
    Chunk take() throws IOException {
        try {
            return filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        }
    }

    /** Gives a buffer back for filling; its bytes may be overwritten at once. */
    void give(byte[] buf) {
        free.offer(buf);
    }

    private void run() {
        try {
            while (!stopped) {
                byte[] b = free.take();
                int len = 0;
                boolean end = false;
                IOException failure = null;
                try {
                    while (len < size) {
                        int r = src.read(b, HEAD + len, size - len);
                        if (r < 0) {
                            end = true;
                            break;
                        }
                        len += r;
                    }
                } catch (IOException e) {
                    failure = e;
                } catch (RuntimeException | Error e) {
                    // whatever stops this thread must reach the reader, which would otherwise wait forever
                    failure = new IOException(e.toString(), e);
                }
                filled.put(new Chunk(b, len, end, failure, src.consumed()));
                if (end || failure != null) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Stops the thread and waits for it; the caller closes the source afterwards. */
    void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
