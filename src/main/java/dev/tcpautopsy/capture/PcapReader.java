package dev.tcpautopsy.capture;

import java.io.IOException;

/**
 * Classic libpcap files: a 24-byte file header, then records of a 16-byte header and the
 * captured bytes. Microsecond (a1b2c3d4) or nanosecond (a1b23c4d) timestamps, either byte order.
 */
final class PcapReader extends AbstractReader {
    static final int MAGIC_USEC = 0xa1b2c3d4, MAGIC_NSEC = 0xa1b23c4d;
    private static final int FILE_HEADER = 24, RECORD_HEADER = 16;

    private final boolean le;
    private final boolean nanos;
    private final int linkType;

    /** Reads the file header; the caller has checked that a pcap magic starts the input. */
    PcapReader(ByteInput in, CaptureLimits limits, boolean compressed) throws IOException {
        super(in, limits, compressed);
        if (!in.request(FILE_HEADER)) {
            throw truncated(0, "pcap file header", FILE_HEADER);
        }
        byte[] b = in.buf;
        int p = in.pos;
        int magicBe = Bytes.i32be(b, p);
        le = magicBe != MAGIC_USEC && magicBe != MAGIC_NSEC;
        int magic = le ? Bytes.i32le(b, p) : magicBe;
        nanos = magic == MAGIC_NSEC;
        int major = le ? Bytes.u16le(b, p + 4) : Bytes.u16be(b, p + 4);
        if (major != 2) {
            throw new CaptureFormatException(4, "pcap version " + major + ", expected 2");
        }
        // the upper bits of the link-type field carry FCS information (LT_FCS_* in libpcap)
        linkType = (le ? Bytes.i32le(b, p + 20) : Bytes.i32be(b, p + 20)) & 0xFFFF;
        sawLinkType(linkType);
        in.pos += FILE_HEADER;
    }

    @Override
    public String format() {
        return nanos ? "pcap-nsec" : "pcap";
    }

    @Override
    boolean read(PacketRecord rec) throws IOException {
        ByteInput in = this.in;
        if (!in.request(RECORD_HEADER)) {
            if (in.available() == 0) {
                return false;
            }
            throw truncated(in.offset(), "record header of frame " + (frame + 1), RECORD_HEADER);
        }
        byte[] b = in.buf;
        int p = in.pos;
        long sec, frac, caplen, wirelen;
        if (le) {
            sec = Bytes.u32le(b, p);
            frac = Bytes.u32le(b, p + 4);
            caplen = Bytes.u32le(b, p + 8);
            wirelen = Bytes.u32le(b, p + 12);
        } else {
            sec = Bytes.u32be(b, p);
            frac = Bytes.u32be(b, p + 4);
            caplen = Bytes.u32be(b, p + 8);
            wirelen = Bytes.u32be(b, p + 12);
        }
        if (caplen > limits.maxRecordLength()) {
            throw badLength(caplen);
        }
        int total = RECORD_HEADER + (int) caplen;
        if (!in.request(total)) {
            throw truncated(in.offset(), "frame " + (frame + 1), total);
        }
        rec.buf = in.buf;
        rec.off = in.pos + RECORD_HEADER;
        rec.capLen = (int) caplen;
        rec.wireLen = (int) Math.min(wirelen, Integer.MAX_VALUE);
        rec.tsNanos = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
        rec.linkType = linkType;
        rec.frame = ++frame;
        rec.fileOffset = in.offset();
        rec.interfaceId = 0;
        rec.dataAt = frames == null ? -1 : rec.fileOffset + RECORD_HEADER;
        rec.frames = frames;
        in.pos += total;
        return true;
    }

    private CaptureFormatException badLength(long caplen) {
        return new CaptureFormatException(in.offset(), "record header of frame " + (frame + 1) + " claims "
                + caplen + " captured bytes, expected at most " + limits.maxRecordLength()
                + " (damaged or not a record header)");
    }
}
