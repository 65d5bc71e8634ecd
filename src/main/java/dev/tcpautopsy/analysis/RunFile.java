package dev.tcpautopsy.analysis;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A file of records (encoded flows, see {@link dev.tcpautopsy.model.FlowEncoder}) for spilled flow runs: each
 * record is its stream number and first frame (two 8-byte big-endian longs, the key runs are merged by), its
 * length (a 4-byte big-endian int) and its bytes, through one large buffer.
 */
final class RunFile {
    private static final int BUFFER = 1 << 16;
    private static final int HEADER = 8 + 8 + 4;

    private RunFile() {
    }

    /** Writes one run file. */
    static final class Writer implements AutoCloseable {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);

        Writer(Path file) throws IOException {
            ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }

        void write(long stream, long firstFrame, byte[] b, int off, int len) throws IOException {
            if (buf.remaining() < HEADER) {
                flush();
            }
            buf.putLong(stream);
            buf.putLong(firstFrame);
            buf.putInt(len);
            while (len > 0) {
                if (!buf.hasRemaining()) {
                    flush();
                }
                int n = Math.min(len, buf.remaining());
                buf.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        private void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        @Override
        public void close() throws IOException {
            try {
                flush();
            } finally {
                ch.close();
            }
        }
    }

    /** Reads one run file from the start. */
    static final class Reader implements AutoCloseable {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        private byte[] record = new byte[1024];
        private int length;
        private long stream, firstFrame;

        Reader(Path file) throws IOException {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            buf.flip();
        }

        /** Moves to the next record; false at the end. Its bytes are {@code record()[0 .. length())} until the next call. */
        boolean next() throws IOException {
            if (!buf.hasRemaining() && !fill()) {
                return false;
            }
            need(HEADER);
            stream = buf.getLong();
            firstFrame = buf.getLong();
            int len = buf.getInt();
            if (len > record.length) {
                record = Arrays.copyOf(record, Math.max(len, 2 * record.length));
            }
            int off = 0;
            while (off < len) {
                if (!buf.hasRemaining() && !fill()) {
                    throw new EOFException("spilled flow run cut short");
                }
                int n = Math.min(buf.remaining(), len - off);
                buf.get(record, off, n);
                off += n;
            }
            length = len;
            return true;
        }

        byte[] record() {
            return record;
        }

        int length() {
            return length;
        }

        long stream() {
            return stream;
        }

        long firstFrame() {
            return firstFrame;
        }

        private void need(int n) throws IOException {
            while (buf.remaining() < n) {
                if (!fill()) {
                    throw new EOFException("spilled flow run cut short");
                }
            }
        }

        /** Reads more after what is left; false at the end of the file. */
        private boolean fill() throws IOException {
            buf.compact();
            int r = ch.read(buf);
            buf.flip();
            return r > 0;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
