package dev.tcpautopsy.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
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
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        return open(new ChannelSource(ch), limits);
    }

    /**
     * Opens a capture read from a stream (standard input, say). The reader closes the stream.
     *
     * @param name how messages name the stream; the caller prefixes it to errors (kept for symmetry)
     */
    public static CaptureReader open(InputStream in, String name) throws IOException {
        return open(in, name, CaptureLimits.DEFAULT);
    }

    public static CaptureReader open(InputStream in, String name, CaptureLimits limits) throws IOException {
        return open(new StreamSource(in), limits);
    }

    private static CaptureReader open(Source raw, CaptureLimits limits) throws IOException {
        Source src = raw;
        try {
            byte[] magic = new byte[4];
            int n = sniff(src, magic);
            boolean gzip = n >= 2 && (magic[0] & 0xFF) == 0x1f && (magic[1] & 0xFF) == 0x8b;
            if (gzip) {
                src = new GzipSource(new PrefixedSource(magic, n, src));
                n = sniff(src, magic);
            }
            ByteInput in = new ByteInput(new PrefixedSource(magic, n, src), limits.bufferSize());
            if (n < 4) {
                throw new CaptureFormatException(0, (n == 0 ? "empty" + (gzip ? " after decompression" : " file")
                        : "only " + n + " bytes") + ", expected a pcap or pcapng header");
            }
            int be = Bytes.i32be(magic, 0), le = Bytes.i32le(magic, 0);
            if (be == PcapReader.MAGIC_USEC || be == PcapReader.MAGIC_NSEC
                    || le == PcapReader.MAGIC_USEC || le == PcapReader.MAGIC_NSEC) {
                return new PcapReader(in, limits, gzip);
            }
            if (be == PcapngReader.SHB) {
                return new PcapngReader(in, limits, gzip);
            }
            throw new CaptureFormatException(0, "found 0x" + Bytes.hex(magic, 0, 4)
                    + ", expected a pcap magic (a1b2c3d4, a1b23c4d, either byte order), pcapng (0a0d0d0a) or gzip (1f8b)");
        } catch (IOException | RuntimeException e) {
            closeQuietly(src, e);
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

    private static void closeQuietly(Source src, Exception cause) {
        try {
            src.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
