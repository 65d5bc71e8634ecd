package dev.tcpautopsy.analysis;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Primitive I/O for spilled flow runs: big-endian numbers through one large unsynchronized buffer,
 * and strings through a per-file dictionary (flags, states, addresses and notes repeat from flow to
 * flow, so each distinct string is written once and then referred to by number).
 */
final class RunFile {
    private static final int BUFFER = 1 << 16;
    private static final int MAX_DICTIONARY = 1 << 16;

    private RunFile() {
    }

    /** Writes one run file. */
    static final class Writer implements AutoCloseable {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        private final Map<String, Integer> dictionary = new HashMap<>();

        Writer(Path file) throws IOException {
            ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        private void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        void writeLong(long v) throws IOException {
            room(8);
            buf.putLong(v);
        }

        void writeInt(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void writeShort(int v) throws IOException {
            room(2);
            buf.putShort((short) v);
        }

        void writeByte(int v) throws IOException {
            room(1);
            buf.put((byte) v);
        }

        void writeBoolean(boolean v) throws IOException {
            writeByte(v ? 1 : 0);
        }

        void writeDouble(double v) throws IOException {
            writeLong(Double.doubleToRawLongBits(v));
        }

        /** A string (or null): -1 for null, a dictionary index, or -2 followed by its UTF-8 bytes. */
        void writeString(String s) throws IOException {
            if (s == null) {
                writeInt(-1);
                return;
            }
            Integer known = dictionary.get(s);
            if (known != null) {
                writeInt(known);
                return;
            }
            if (s.length() <= 256 && dictionary.size() < MAX_DICTIONARY) {
                dictionary.put(s, dictionary.size());
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeInt(-2);
            writeInt(b.length);
            int off = 0;
            while (off < b.length) {
                if (!buf.hasRemaining()) {
                    flush();
                }
                int n = Math.min(buf.remaining(), b.length - off);
                buf.put(b, off, n);
                off += n;
            }
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
        private final List<String> dictionary = new ArrayList<>();

        Reader(Path file) throws IOException {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            buf.flip();
        }

        /** Whether the file has more bytes. */
        boolean more() throws IOException {
            return buf.hasRemaining() || fill(1);
        }

        private boolean fill(int n) throws IOException {
            buf.compact();
            while (buf.position() < n) {
                if (ch.read(buf) < 0) {
                    buf.flip();
                    return false;
                }
            }
            buf.flip();
            return true;
        }

        private void need(int n) throws IOException {
            if (buf.remaining() < n && !fill(n)) {
                throw new EOFException("spilled flow run cut short");
            }
        }

        long readLong() throws IOException {
            need(8);
            return buf.getLong();
        }

        int readInt() throws IOException {
            need(4);
            return buf.getInt();
        }

        int readShort() throws IOException {
            need(2);
            return buf.getShort();
        }

        int readByte() throws IOException {
            need(1);
            return buf.get();
        }

        boolean readBoolean() throws IOException {
            return readByte() != 0;
        }

        double readDouble() throws IOException {
            return Double.longBitsToDouble(readLong());
        }

        String readString() throws IOException {
            int tag = readInt();
            if (tag == -1) {
                return null;
            }
            if (tag >= 0) {
                return dictionary.get(tag);
            }
            int len = readInt();
            byte[] b = new byte[len];
            int off = 0;
            while (off < len) {
                need(1);
                int n = Math.min(buf.remaining(), len - off);
                buf.get(b, off, n);
                off += n;
            }
            String s = new String(b, StandardCharsets.UTF_8);
            if (s.length() <= 256 && dictionary.size() < MAX_DICTIONARY) {
                dictionary.add(s);
            }
            return s;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
