package dev.tcpautopsy.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * What a capture file looks like from outside: its first bytes (a pcap or pcapng magic, perhaps inside
 * gzip) and the names captures are given. The one place that tells a capture from another file, for
 * the readers ({@link Captures#open}) and for whoever looks for captures in a directory.
 */
public enum CaptureFormat {
    PCAP, PCAPNG;

    /** File names that are captures whatever their first bytes (so that a damaged one is reported, not skipped). */
    public static final List<String> SUFFIXES = List.of(".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz", ".cap.gz");

    /** Whether the first two bytes are gzip's ({@code 1f 8b}). */
    public static boolean isGzip(byte[] b, int n) {
        return n >= 2 && (b[0] & 0xFF) == 0x1f && (b[1] & 0xFF) == 0x8b;
    }

    /** The format whose magic the first four bytes are (pcap: microsecond or nanosecond, either byte order), or null. */
    public static CaptureFormat of(byte[] b, int n) {
        if (n < 4) {
            return null;
        }
        int be = Bytes.i32be(b, 0), le = Bytes.i32le(b, 0);
        if (be == PcapReader.MAGIC_USEC || be == PcapReader.MAGIC_NSEC || le == PcapReader.MAGIC_USEC
                || le == PcapReader.MAGIC_NSEC) {
            return PCAP;
        }
        return be == PcapngReader.SHB ? PCAPNG : null;
    }

    /** Whether a file should be analyzed as a capture: its name says so, or its first bytes (also inside gzip). */
    public static boolean looksLikeCapture(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            if (isGzip(head, head.length)) {
                try (InputStream gz = new GZIPInputStream(Files.newInputStream(file))) {
                    byte[] inner = gz.readNBytes(4);
                    return of(inner, inner.length) != null;
                }
            }
            return of(head, head.length) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
