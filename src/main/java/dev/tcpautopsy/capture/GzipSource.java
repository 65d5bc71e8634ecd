package dev.tcpautopsy.capture;

import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses gzip (RFC 1952), member after member, into the caller's buffer.
 *
 * <p>Not {@code GZIPInputStream}: before JDK 23 (JDK-7036144) it decides whether another member
 * follows by asking {@code available()}, which a pipe may answer with 0, silently cutting a
 * multi-member stream short on standard input. Here a member is followed by another one when the
 * next bytes are the gzip magic; anything else after a member is ignored as trailing garbage, as
 * zlib's {@code gzread} (and so Wireshark) does. Each member's CRC-32 and length are checked.
 *
 * <p>Damage found after some bytes were produced is held back and thrown by the next call, so the
 * reader gets every byte before the damage first.
 */
final class GzipSource implements Source {
    private static final int FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16;

    private final Source raw;
    private final byte[] in = new byte[64 * 1024];
    private int inPos;
    private int inLim;
    /** Offset in the compressed stream of {@code in[0]}. */
    private long inBase;
    private boolean rawEof;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private boolean inMember;
    private boolean done;
    private long memberStart;
    private long memberOut;
    private long out;
    private IOException pending;

    GzipSource(Source raw) {
        this.raw = raw;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (pending != null) {
            throw pending;
        }
        if (len == 0) {
            return 0;
        }
        int produced = 0;
        try {
            for (int idle = 0; produced == 0; idle++) {
                if (!inMember && (done || !startMember())) {
                    done = true;
                    return -1;
                }
                if (inflater.needsInput()) {
                    if (!fillRaw()) {
                        throw fail("gzip stream ends inside the member that started at compressed byte "
                                + memberStart + " (found end of input, expected more compressed data)");
                    }
                    inflater.setInput(in, inPos, inLim - inPos);
                }
                int n = inflater.inflate(b, off, len);
                inPos = inLim - inflater.getRemaining();
                if (n > 0) {
                    crc.update(b, off, n);
                    memberOut += n;
                    out += n;
                    produced = n;
                }
                if (inflater.finished()) {
                    endMember();
                } else if (n == 0 && (inflater.needsDictionary() || idle > 1000)) {
                    throw fail("corrupt gzip data at compressed byte " + (inBase + inPos)
                            + " (found a preset-dictionary or stalled deflate stream, expected plain deflate data)");
                }
            }
        } catch (DataFormatException e) {
            IOException x = fail("corrupt gzip data at compressed byte " + (inBase + inPos) + " ("
                    + e.getMessage() + ")");
            if (produced > 0) {
                pending = x;
                return produced;
            }
            throw x;
        } catch (IOException e) {
            if (produced > 0) {
                pending = e;
                return produced;
            }
            throw e;
        }
        return produced;
    }

    /** Reads one member header; {@code false} at the clean end of the gzip stream. */
    private boolean startMember() throws IOException {
        int id1 = rawByte();
        if (id1 < 0) {
            return false;
        }
        long start = inBase + inPos - 1;
        int id2 = rawByte();
        if (id1 != 0x1f || id2 != 0x8b) {
            // trailing garbage after a complete member: ignored, as zlib and gzip(1) do
            return false;
        }
        memberStart = start;
        int cm = need();
        int flg = need();
        if (cm != 8) {
            throw fail("gzip member at compressed byte " + start + " uses method " + cm + ", expected 8 (deflate)");
        }
        if ((flg & 0xE0) != 0) {
            throw fail("gzip member at compressed byte " + start + " has reserved flags 0x"
                    + Integer.toHexString(flg) + " set, expected none");
        }
        for (int i = 0; i < 6; i++) {
            need(); // MTIME, XFL, OS
        }
        if ((flg & FEXTRA) != 0) {
            int xlen = need() | need() << 8;
            for (int i = 0; i < xlen; i++) {
                need();
            }
        }
        if ((flg & FNAME) != 0) {
            while (need() != 0) {
                // skip the zero-terminated file name
            }
        }
        if ((flg & FCOMMENT) != 0) {
            while (need() != 0) {
                // skip the zero-terminated comment
            }
        }
        if ((flg & FHCRC) != 0) {
            need();
            need();
        }
        inflater.reset();
        crc.reset();
        memberOut = 0;
        inflater.setInput(in, inPos, inLim - inPos);
        inMember = true;
        return true;
    }

    private void endMember() throws IOException {
        inMember = false;
        long expectCrc = 0, expectSize = 0;
        for (int i = 0; i < 4; i++) {
            expectCrc |= (long) need() << (8 * i);
        }
        for (int i = 0; i < 4; i++) {
            expectSize |= (long) need() << (8 * i);
        }
        if (expectCrc != crc.getValue()) {
            throw fail("gzip member at compressed byte " + memberStart + " has CRC-32 " + Long.toHexString(crc.getValue())
                    + ", expected " + Long.toHexString(expectCrc) + " from its trailer (corrupt data)");
        }
        if (expectSize != (memberOut & 0xFFFF_FFFFL)) {
            throw fail("gzip member at compressed byte " + memberStart + " inflates to " + memberOut
                    + " bytes, expected " + expectSize + " (mod 2^32) from its trailer");
        }
    }

    private int rawByte() throws IOException {
        if (inPos == inLim && !fillRaw()) {
            return -1;
        }
        return in[inPos++] & 0xFF;
    }

    private int need() throws IOException {
        int c = rawByte();
        if (c < 0) {
            throw fail("gzip stream ends inside the header or trailer of the member at compressed byte "
                    + memberStart + " (found end of input, expected more bytes)");
        }
        return c;
    }

    private boolean fillRaw() throws IOException {
        if (inPos < inLim) {
            return true;
        }
        if (rawEof) {
            return false;
        }
        inBase += inLim;
        inPos = 0;
        inLim = 0;
        int n = raw.read(in, 0, in.length);
        if (n <= 0) {
            rawEof = true;
            return false;
        }
        inLim = n;
        return true;
    }

    private CaptureFormatException fail(String detail) {
        return new CaptureFormatException(out, detail);
    }

    @Override
    public long consumed() {
        return raw.consumed();
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        raw.close();
    }
}
