package dev.tcpautopsy.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** A file (or any channel) read straight into the caller's array through one wrapping buffer. */
final class ChannelSource implements Source {
    private final ReadableByteChannel ch;
    private ByteBuffer wrap;
    private byte[] wrapped;
    private long consumed;

    ChannelSource(ReadableByteChannel ch) {
        this.ch = ch;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (b != wrapped) {
            wrap = ByteBuffer.wrap(b);
            wrapped = b;
        }
        wrap.limit(off + len).position(off);
        for (int zeros = 0; ; zeros++) {
            int n = ch.read(wrap);
            if (n != 0 || len == 0) {
                if (n > 0) {
                    consumed += n;
                }
                return n;
            }
            if (zeros > 1000) {
                throw new IOException("channel made no progress");
            }
        }
    }

    @Override
    public long consumed() {
        return consumed;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
