package dev.tcpautopsy.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads captured bytes again from where a record was: for the header dumps of the few frames a report
 * shows as evidence, found long after their packets went by. With it, flow tracking keeps where each
 * evidence candidate's headers are ({@link PacketRecord#dataAt}) rather than a copy of them for every
 * packet of every connection. Only a capture read from a plain file has one; compressed captures and
 * standard input have none, and their headers are copied as they pass.
 *
 * <p>Safe to call from any thread while the capture is read (positional reads leave the reader's
 * position alone), until the reader is closed.
 */
public interface FrameBytes {
    /** Bits of a place (see {@link PacketRecord#dataAt}) that hold the offset; those above, the piece of a merged capture. */
    int OFFSET_BITS = 44;
    long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    /** Pieces a merged capture may have for its places to name them. */
    int MAX_PIECES = 1 << (63 - OFFSET_BITS);

    /** The {@code length} bytes at {@code place}, or {@code null} when they cannot be read (the file shrank, an I/O error). */
    byte[] read(long place, int length);

    /** Reads a file's bytes by offset, through the channel its reader reads. */
    static FrameBytes of(FileChannel ch) {
        return (place, length) -> {
            byte[] out = new byte[length];
            ByteBuffer b = ByteBuffer.wrap(out);
            long at = place & OFFSET_MASK;
            try {
                while (b.hasRemaining()) {
                    if (ch.read(b, at + b.position()) <= 0) {
                        return null;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
            return out;
        };
    }
}
