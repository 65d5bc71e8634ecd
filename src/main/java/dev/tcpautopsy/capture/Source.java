package dev.tcpautopsy.capture;

import java.io.Closeable;
import java.io.IOException;

/** Where a reader's bytes come from: a file channel, a stream, or a gzip decoder over either. */
interface Source extends Closeable {
    /** Reads up to {@code len} bytes; -1 at the end. Reads at least one byte when {@code len > 0}, or throws. */
    int read(byte[] b, int off, int len) throws IOException;

    /** Bytes consumed from the underlying storage (compressed bytes for gzip), for progress. */
    long consumed();
}
