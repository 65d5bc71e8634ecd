package dev.tcpautopsy.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * The one reused buffer a reader walks: {@code buf[pos .. limit)} holds bytes not yet consumed.
 * Refilling moves the unread tail to the front, so a record is always contiguous and a
 * {@link PacketRecord} can point straight into {@code buf}. The buffer grows only when a single
 * request is larger than it; readers bound every request by {@link CaptureLimits} first.
 */
final class ByteInput implements Closeable {
    byte[] buf;
    int pos;
    int limit;
    /** Stream offset of {@code buf[0]}. */
    private long base;
    private final Source src;
    private boolean eof;

    ByteInput(Source src, int size) {
        this.src = src;
        this.buf = new byte[size];
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
        return src.consumed();
    }

    @Override
    public void close() throws IOException {
        src.close();
    }
}
