package dev.tcpautopsy.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * Streams the records of one capture into a reused {@link PacketRecord}.
 *
 * <p>Calling order: {@link #next(PacketRecord)} until it returns {@code false}, then
 * {@link #close()}. A file-level problem (bad magic, impossible record length, a stream cut short)
 * surfaces as a {@link CaptureFormatException} from {@code next}; every record returned before it
 * is good, and the caller keeps what it has analyzed.
 */
public interface CaptureReader extends Closeable {

    /**
     * Fills {@code rec} with the next record.
     *
     * @return {@code false} at a clean end of the capture
     * @throws CaptureFormatException when the capture is damaged at the current position
     */
    boolean next(PacketRecord rec) throws IOException;

    /** Bytes consumed so far from the underlying (compressed, if compressed) source, for progress. */
    long bytesRead();
}
