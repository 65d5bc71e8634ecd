package dev.tcpautopsy.capture;

import java.io.IOException;

/** Gives back the few bytes read to sniff the format, then the rest of the source. */
final class PrefixedSource implements Source {
    private final byte[] prefix;
    private int prefixPos;
    private final int prefixLen;
    private final Source rest;

    PrefixedSource(byte[] prefix, int prefixLen, Source rest) {
        this.prefix = prefix;
        this.prefixLen = prefixLen;
        this.rest = rest;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (prefixPos < prefixLen && len > 0) {
            int n = Math.min(len, prefixLen - prefixPos);
            System.arraycopy(prefix, prefixPos, b, off, n);
            prefixPos += n;
            return n;
        }
        return rest.read(b, off, len);
    }

    @Override
    public long consumed() {
        return rest.consumed();
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}
