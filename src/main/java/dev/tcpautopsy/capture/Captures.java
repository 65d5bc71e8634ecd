package dev.tcpautopsy.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens captures: the format is sniffed from the first bytes, never from the file name. gzip
 * (1f 8b) is unwrapped first; then pcap (microsecond or nanosecond magic, either byte order) or
 * pcapng (a section header block).
 */
public final class Captures {
    private Captures() {
    }

    /** Opens a capture file. */
    public static CaptureReader open(Path file) throws IOException {
        return open(file, CaptureLimits.DEFAULT);
    }

    public static CaptureReader open(Path file, CaptureLimits limits) throws IOException {
        return open(file, limits, false, false);
    }

    /**
     * Opens a capture file; a compressed one is decompressed a buffer ahead on a thread of its own
     * ({@link ReadAhead}) when {@code spareProcessor}, and a plain one read a buffer ahead when {@code
     * plainToo}.
     *
     * <p>Why plain files only when asked: inflating is the most costly step of all and overlaps the
     * analysis well, while reading a plain file ahead saves the analysis thread only the kernel's copy,
     * which two busy cores then do elsewhere; once tracking has many threads, though, reading and decoding
     * the one file is the longest stage, and the kernel's copy a third of it
     * (bench/results/design-choices.md).
     */
    public static CaptureReader open(Path file, CaptureLimits limits, boolean spareProcessor, boolean plainToo)
            throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        String name = file.getFileName().toString();
        AbstractReader r = open(new ChannelSource(ch), limits, spareProcessor ? "tcpautopsy-inflate " + name : null,
                plainToo ? "tcpautopsy-ahead " + name : null);
        if (!r.compressed() && Files.isRegularFile(file)) {
            // a pipe or a device cannot be read twice
            r.frames = FrameBytes.of(ch);
        }
        return r;
    }

    /** Opens a capture read from a stream (standard input, say). The reader closes the stream. */
    public static CaptureReader open(InputStream in) throws IOException {
        return open(in, CaptureLimits.DEFAULT);
    }

    public static CaptureReader open(InputStream in, CaptureLimits limits) throws IOException {
        return open(new StreamSource(in), limits, null, null);
    }

    /**
     * @param inflateName the name of the thread that decompresses a compressed capture ahead, or null
     * @param aheadName   the name of the thread that reads a plain capture ahead, or null
     */
    static AbstractReader open(Source raw, CaptureLimits limits, String inflateName, String aheadName)
            throws IOException {
        Source src = raw;
        ByteInput in = null;
        try {
            byte[] magic = new byte[4];
            int n = sniff(src, magic);
            boolean gzip = CaptureFormat.isGzip(magic, n);
            if (gzip) {
                src = new GzipSource(new PrefixedSource(magic, n, src));
                n = sniff(src, magic);
            }
            if (n < 4) {
                throw new CaptureFormatException(0, (n == 0 ? "empty" + (gzip ? " after decompression" : " file")
                        : "only " + n + " bytes") + ", expected a pcap or pcapng header");
            }
            CaptureFormat format = CaptureFormat.of(magic, n);
            boolean pcap = format == CaptureFormat.PCAP;
            if (format == null) {
                throw new CaptureFormatException(0, "found 0x" + Bytes.hex(magic, 0, 4)
                        + ", expected a pcap magic (a1b2c3d4, a1b23c4d, either byte order), pcapng (0a0d0d0a) or gzip (1f8b)");
            }
            Source rest = new PrefixedSource(magic, n, src);
            String ahead = gzip ? inflateName : aheadName;
            in = ahead == null ? new ByteInput(rest, limits.bufferSize()) : new ByteInput(rest, limits.bufferSize(), ahead);
            return pcap ? new PcapReader(in, limits, gzip) : new PcapngReader(in, limits, gzip);
        } catch (IOException | RuntimeException e) {
            closeQuietly(in != null ? in : src, e);
            throw e;
        }
    }

    /** Reads up to 4 bytes; fewer only at the end of the input. */
    private static int sniff(Source src, byte[] magic) throws IOException {
        int n = 0;
        while (n < 4) {
            int r = src.read(magic, n, 4 - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private static void closeQuietly(java.io.Closeable src, Exception cause) {
        try {
            src.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
