package dev.tcpautopsy.report;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where renderers write: a directory (one file per name) or a single stream such as standard output. */
public interface ReportTarget {

    /** Opens the output for {@code fileName}; the caller closes it. */
    OutputStream open(String fileName) throws IOException;

    /** A directory, created if missing; each name becomes a file in it. */
    static ReportTarget directory(Path dir) {
        return fileName -> {
            Files.createDirectories(dir);
            return Files.newOutputStream(dir.resolve(fileName));
        };
    }

    /**
     * One stream for whatever is opened (standard output with {@code -o -}); closing what
     * {@link #open} returns flushes the stream but leaves it open.
     */
    static ReportTarget stream(OutputStream out) {
        return fileName -> new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

}
