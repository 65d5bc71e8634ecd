package dev.tcpautopsy.capture;

import java.io.IOException;

/**
 * pcapng files: sections (each with its own byte order and interfaces) of blocks. Enhanced (6),
 * simple (3) and obsolete (2) packet blocks are records; interface description blocks (1) give
 * the link type, snapshot length and timestamp resolution and offset; every other block is
 * skipped by its length. A systemd journal export block (9) is returned as a record too, with
 * {@link PacketRecord#LINKTYPE_SYSTEMD_JOURNAL}, because Wireshark numbers it as a frame.
 */
final class PcapngReader extends AbstractReader {
    static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1, PB = 2, SPB = 3, EPB = 6, JOURNAL = 9;
    private static final int BOM = 0x1A2B3C4D, BOM_SWAPPED = 0x4D3C2B1A;

    private boolean le;
    private final Interfaces ifs = new Interfaces();
    /** Simple packet blocks carry no timestamp: they get the previous record's. */
    private long lastTs;

    /** Reads the first section header; the caller has checked that the input starts with one. */
    PcapngReader(ByteInput in, CaptureLimits limits, boolean compressed) throws IOException {
        super(in, limits, compressed);
        readSectionHeader(in.offset());
    }

    @Override
    public String format() {
        return "pcapng";
    }

    @Override
    boolean read(PacketRecord rec) throws IOException {
        ByteInput in = this.in;
        for (;;) {
            long start = in.offset();
            if (!in.request(8)) {
                if (in.available() == 0) {
                    return false;
                }
                throw truncated(start, "pcapng block header", 8);
            }
            int type = i32(in.buf, in.pos);
            if (type == SHB) {
                readSectionHeader(start);
                continue;
            }
            long len = u32(in.buf, in.pos + 4);
            if (len < 12 || (len & 3) != 0 || len > limits.maxBlockLength()) {
                throw badBlockLength(start, type, len, 12);
            }
            int n = (int) len;
            if (type == EPB || type == PB || type == SPB || type == JOURNAL || type == IDB) {
                if (!in.request(n)) {
                    throw truncated(start, blockName(type) + " block", len);
                }
                checkTrailer(start, type, n);
                if (type == IDB) {
                    readInterface(start, n);
                    in.pos += n;
                    continue;
                }
                fill(rec, type, start, n);
                in.pos += n;
                return true;
            }
            // any other block: skip by length, checking the trailing copy of the length
            if (!in.skip(len - 4) || !in.request(4)) {
                throw truncated(start, "block of type 0x" + Integer.toHexString(type), len);
            }
            if (u32(in.buf, in.pos) != len) {
                throw badTrailer(start, type, u32(in.buf, in.pos), len);
            }
            in.pos += 4;
        }
    }

    private void fill(PacketRecord rec, int type, long start, int n) throws CaptureFormatException {
        byte[] b = in.buf;
        int p = in.pos;
        int iface, dataOff;
        long caplen, wirelen, ts;
        if (type == EPB || type == PB) {
            if (n < 32) {
                throw badBlockLength(start, type, n, 32);
            }
            iface = (int) (type == EPB ? u32(b, p + 8) : u16(b, p + 8));
            if (iface >= ifs.count || iface < 0) {
                throw noInterface(start, type, iface & 0xFFFF_FFFFL);
            }
            ts = ifs.toNanos(iface, (long) i32(b, p + 12) << 32 | u32(b, p + 16));
            caplen = u32(b, p + 20);
            wirelen = u32(b, p + 24);
            dataOff = 28;
            if (caplen > n - 32) {
                throw new CaptureFormatException(start, blockName(type) + " block of frame " + (frame + 1) + " claims "
                        + caplen + " captured bytes, expected at most the " + (n - 32) + " its length leaves");
            }
            lastTs = ts;
        } else if (type == SPB) {
            if (n < 16) {
                throw badBlockLength(start, type, n, 16);
            }
            iface = 0;
            if (ifs.count == 0) {
                throw noInterface(start, type, 0);
            }
            wirelen = u32(b, p + 8);
            // RFC-draft pcapng 4.4: the captured length is the smallest of the original length,
            // the interface's snapshot length and the room the block has
            caplen = Math.min(n - 16, wirelen);
            int snap = ifs.snaplen[0];
            if (snap != 0 && caplen > (snap & 0xFFFF_FFFFL)) {
                caplen = snap & 0xFFFF_FFFFL;
            }
            ts = lastTs;
            dataOff = 12;
        } else { // systemd journal export: the whole body is the entry
            iface = -1;
            caplen = n - 12;
            wirelen = caplen;
            ts = lastTs;
            dataOff = 8;
        }
        if (caplen > limits.maxRecordLength()) {
            throw new CaptureFormatException(start, blockName(type) + " block of frame " + (frame + 1) + " claims "
                    + caplen + " captured bytes, expected at most " + limits.maxRecordLength());
        }
        rec.buf = b;
        rec.off = p + dataOff;
        rec.capLen = (int) caplen;
        rec.wireLen = (int) Math.min(wirelen, Integer.MAX_VALUE);
        rec.tsNanos = ts;
        rec.linkType = iface < 0 ? PacketRecord.LINKTYPE_SYSTEMD_JOURNAL : ifs.linkType[iface];
        rec.frame = ++frame;
        rec.fileOffset = start;
        rec.interfaceId = Math.max(iface, 0);
        rec.dataAt = frames == null ? -1 : start + dataOff;
        rec.frames = frames;
    }

    private void readSectionHeader(long start) throws IOException {
        if (!in.request(12)) {
            throw truncated(start, "pcapng section header", 28);
        }
        int bom = Bytes.i32be(in.buf, in.pos + 8);
        if (bom == BOM) {
            le = false;
        } else if (bom == BOM_SWAPPED) {
            le = true;
        } else {
            throw new CaptureFormatException(start + 8, "pcapng section header has byte-order magic 0x"
                    + Integer.toHexString(bom) + ", expected 0x1a2b3c4d in either byte order");
        }
        long len = u32(in.buf, in.pos + 4);
        if (len < 28 || (len & 3) != 0 || len > limits.maxBlockLength()) {
            throw badBlockLength(start, SHB, len, 28);
        }
        if (!in.request((int) len)) {
            throw truncated(start, "pcapng section header", len);
        }
        int major = u16(in.buf, in.pos + 12);
        if (major != 1) {
            throw new CaptureFormatException(start + 12, "pcapng major version " + major + ", expected 1");
        }
        checkTrailer(start, SHB, (int) len);
        ifs.count = 0; // interface ids are per section
        in.pos += (int) len;
    }

    private void readInterface(long start, int n) throws CaptureFormatException {
        if (n < 20) {
            throw badBlockLength(start, IDB, n, 20);
        }
        byte[] b = in.buf;
        int p = in.pos;
        int linkType = u16(b, p + 8);
        int snaplen = i32(b, p + 12);
        int tsresol = 6;
        long tsoffset = 0;
        int o = p + 16, end = p + n - 4;
        while (o + 4 <= end) {
            int code = u16(b, o), olen = u16(b, o + 2);
            if (code == 0 || o + 4 + olen > end) {
                break; // end of options, or a damaged option: keep what was read
            }
            if (code == 9 && olen >= 1) {
                tsresol = b[o + 4] & 0xFF;
            } else if (code == 14 && olen >= 8) {
                tsoffset = le ? Bytes.i64le(b, o + 4) : Bytes.i64be(b, o + 4);
            }
            o += 4 + ((olen + 3) & ~3);
        }
        ifs.add(linkType, snaplen, tsresol, tsoffset);
        sawLinkType(linkType);
    }

    private void checkTrailer(long start, int type, int n) throws CaptureFormatException {
        long trailer = u32(in.buf, in.pos + n - 4);
        if (trailer != (n & 0xFFFF_FFFFL)) {
            throw badTrailer(start, type, trailer, n);
        }
    }

    private int i32(byte[] b, int off) {
        return le ? Bytes.i32le(b, off) : Bytes.i32be(b, off);
    }

    private long u32(byte[] b, int off) {
        return i32(b, off) & 0xFFFF_FFFFL;
    }

    private int u16(byte[] b, int off) {
        return le ? Bytes.u16le(b, off) : Bytes.u16be(b, off);
    }

    private static String blockName(int type) {
        switch (type) {
            case SHB: return "section header";
            case IDB: return "interface description";
            case PB: return "packet";
            case SPB: return "simple packet";
            case EPB: return "enhanced packet";
            case JOURNAL: return "systemd journal export";
            default: return "type 0x" + Integer.toHexString(type);
        }
    }

    private CaptureFormatException badBlockLength(long start, int type, long len, int min) {
        return new CaptureFormatException(start + 4, blockName(type) + " block has length " + len
                + ", expected a multiple of 4 from " + min + " to " + limits.maxBlockLength()
                + " (damaged or not a block)");
    }

    private CaptureFormatException badTrailer(long start, int type, long trailer, long len) {
        return new CaptureFormatException(start, blockName(type) + " block ends with length " + trailer
                + ", expected " + len + " as at its start (damaged block)");
    }

    private CaptureFormatException noInterface(long start, int type, long iface) {
        return new CaptureFormatException(start, blockName(type) + " block of frame " + (frame + 1)
                + " refers to interface " + iface + ", expected one of the " + ifs.count
                + " described in this section");
    }
}
