package dev.tcpautopsy.capture;

import java.io.IOException;
import java.io.InputStream;

/** An input stream (standard input, a socket, a test's throttled stream). */
final class StreamSource implements Source {
    private final InputStream in;
    private long consumed;

    StreamSource(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        for (int zeros = 0; ; zeros++) {
            int n = in.read(b, off, len);
            if (n != 0 || len == 0) {
                if (n > 0) {
                    consumed += n;
                }
                return n;
            }
            // InputStream.read may not return 0 for len > 0; a stream that does must not spin forever
            if (zeros > 1000) {
                throw new IOException("input stream made no progress");
            }
        }
    }

    @Override
    public long consumed() {
        return consumed;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
