package dev.tcpautopsy.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * The one reused buffer a reader walks: {@code buf[pos .. limit)} holds bytes not yet consumed.
 * Refilling moves the unread tail to the front, so a record is always contiguous and a
 * {@link PacketRecord} can point straight into {@code buf}. The buffer grows only when a single
 * request is larger than it; readers bound every request by {@link CaptureLimits} first. With a
 * {@link ReadAhead}, {@code buf} is instead each of its buffers in turn, the unread tail moved in front
 * of the next one's data. Either way a record's bytes are valid until the next request.
 */
final class ByteInput implements Closeable {
    byte[] buf;
    int pos;
    int limit;
    /** Stream offset of {@code buf[0]}. */
    private long base;
    private final Source src;
    private boolean eof;
    /** Reads the source a buffer ahead, or null: then {@link #fill} reads it. */
    private final ReadAhead ahead;
    /** What the read-ahead failed with after the bytes it gave last: thrown when they are used up. */
    private IOException failed;
    private long consumed;

    ByteInput(Source src, int size) {
        this.src = src;
        this.buf = new byte[size];
        this.ahead = null;
    }

    /** Reads {@code src} on a thread of its own ({@link ReadAhead}), {@code size} bytes at a time. */
    ByteInput(Source src, int size, String name) {
        this.src = src;
        this.buf = new byte[0];
        this.ahead = new ReadAhead(src, size, name);
    }

    /** Stream offset (decompressed) of {@code buf[pos]}. */
    long offset() {
        return base + pos;
    }

    int available() {
        return limit - pos;
    }

    /**
     * Makes {@code n} bytes available at {@code pos}.
     *
     * @return {@code false} when the stream ended first ({@link #available()} tells how many there are)
     */
    boolean request(int n) throws IOException {
        return limit - pos >= n || fill(n);
    }

    private boolean fill(int n) throws IOException {
        if (ahead != null) {
            return fillAhead(n);
        }
        if (n > buf.length - pos) {
            if (n > buf.length) {
                byte[] bigger = new byte[Math.max(n, (int) Math.min(Integer.MAX_VALUE - 8, 2L * buf.length))];
                System.arraycopy(buf, pos, bigger, 0, limit - pos);
                buf = bigger;
            } else {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
            }
            base += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit - pos < n && !eof) {
            int r = src.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    /**
     * Takes filled buffers from the read-ahead until {@code n} bytes are available: the unread tail goes
     * into the room in front of the next buffer's data, so the bytes of a record stay contiguous.
     */
    private boolean fillAhead(int n) throws IOException {
        while (limit - pos < n && !eof) {
            if (failed != null) {
                throw failed;
            }
            ReadAhead.Chunk c = ahead.take();
            int tail = limit - pos;
            byte[] old = buf;
            if (tail <= ReadAhead.HEAD) {
                int start = ReadAhead.HEAD - tail;
                System.arraycopy(buf, pos, c.buf(), start, tail);
                base += pos - start;
                buf = c.buf();
                pos = start;
                limit = ReadAhead.HEAD + c.len();
            } else {
                // a request larger than the room (a pcapng block of megabytes): gather it in an array of its own
                byte[] into = new byte[tail + c.len()];
                System.arraycopy(buf, pos, into, 0, tail);
                System.arraycopy(c.buf(), ReadAhead.HEAD, into, tail, c.len());
                base += pos;
                buf = into;
                pos = 0;
                limit = into.length;
                ahead.give(c.buf());
            }
            if (old != buf && ahead.owns(old)) {
                ahead.give(old);
            }
            consumed = c.consumed();
            eof = c.end();
            failed = c.failure();
        }
        if (limit - pos < n && failed != null) {
            throw failed;
        }
        return limit - pos >= n;
    }

    /**
     * Consumes {@code n} bytes without keeping them: for pcapng blocks skipped by length, which may
     * be larger than the buffer.
     *
     * @return {@code false} when the stream ended first
     */
    boolean skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit && !fill(1)) {
                return false;
            }
            int k = (int) Math.min(n, limit - pos);
            pos += k;
            n -= k;
        }
        return true;
    }

    long consumed() {
        return ahead != null ? consumed : src.consumed();
    }

    @Override
    public void close() throws IOException {
        if (ahead != null) {
            ahead.close();
        }
        src.close();
    }
}
