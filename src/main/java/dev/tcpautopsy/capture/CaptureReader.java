package dev.tcpautopsy.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * Streams the records of one capture into a reused {@link PacketRecord}. Open one with
 * {@link Captures#open(java.nio.file.Path)}.
 *
 * <p>Calling order: {@link #next(PacketRecord)} until it returns {@code false}, then
 * {@link #close()}. A file-level problem (bad magic, impossible record length, a stream cut short)
 * surfaces as a {@link CaptureFormatException} from {@code next}; every record returned before it
 * is good, and the caller keeps what it has analyzed. After an exception, {@code next} must not be
 * called again. No other exception than {@link IOException} escapes, whatever the input bytes.
 */
public interface CaptureReader extends Closeable {

    /**
     * Fills {@code rec} with the next record. Its bytes stay valid until the next call.
     *
     * @return {@code false} at a clean end of the capture
     * @throws CaptureFormatException when the capture is damaged at the current position
     */
    boolean next(PacketRecord rec) throws IOException;

    /** Bytes consumed so far from the underlying (compressed, if compressed) source, for progress. */
    long bytesRead();

    /** {@code pcap}, {@code pcap-nsec} or {@code pcapng}. */
    String format();

    /** Whether the capture is gzip-compressed. */
    boolean compressed();

    /**
     * The distinct link-layer header types declared so far, in order of first appearance: the file
     * header's for pcap, every interface description block read so far for pcapng.
     */
    int[] linkTypes();
}
