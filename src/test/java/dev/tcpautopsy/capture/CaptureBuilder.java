package dev.tcpautopsy.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** Writes pcap and pcapng bytes for tests, in either byte order, with every field under control. */
public final class CaptureBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean le = true;

    public static CaptureBuilder pcap(boolean littleEndian, boolean nanos, int linkType) {
        CaptureBuilder b = new CaptureBuilder();
        b.le = littleEndian;
        b.u32(nanos ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(65535).u32(linkType);
        return b;
    }

    /** A pcap record with the given captured bytes and original length. */
    public CaptureBuilder record(long sec, long frac, byte[] data, int wireLen) {
        return u32(sec).u32(frac).u32(data.length).u32(wireLen).bytes(data);
    }

    public CaptureBuilder record(long sec, long frac, byte[] data) {
        return record(sec, frac, data, data.length);
    }

    public static CaptureBuilder pcapng(boolean littleEndian) {
        CaptureBuilder b = new CaptureBuilder();
        b.section(littleEndian);
        return b;
    }

    /** A section header block (switching byte order if asked). */
    public CaptureBuilder section(boolean littleEndian) {
        le = littleEndian;
        return u32(0x0A0D0D0A).u32(28).u32(0x1A2B3C4D).u16(1).u16(0).u64(-1).u32(28);
    }

    /** An interface description block; tsresol &lt; 0 and tsoffset == 0 leave those options out. */
    public CaptureBuilder iface(int linkType, int snaplen, int tsresol, long tsoffset) {
        CaptureBuilder o = child();
        if (tsresol >= 0) {
            o.u16(9).u16(1).bytes(new byte[] {(byte) tsresol, 0, 0, 0});
        }
        if (tsoffset != 0) {
            o.u16(14).u16(8).u64(tsoffset);
        }
        if (o.out.size() > 0) {
            o.u16(0).u16(0);
        }
        byte[] body = o.done();
        return block(1, child().u16(linkType).u16(0).u32(snaplen).bytes(body).done());
    }

    public CaptureBuilder epb(int iface, long ticks, byte[] data, int wireLen) {
        return block(6, child().u32(iface).u32(ticks >>> 32).u32(ticks)
                .u32(data.length).u32(wireLen).bytes(pad(data)).done());
    }

    public CaptureBuilder spb(byte[] data, int wireLen) {
        return block(3, child().u32(wireLen).bytes(pad(data)).done());
    }

    /** The obsolete packet block (type 2). */
    public CaptureBuilder pb(int iface, long ticks, byte[] data, int wireLen) {
        return block(2, child().u16(iface).u16(0).u32(ticks >>> 32).u32(ticks)
                .u32(data.length).u32(wireLen).bytes(pad(data)).done());
    }

    /** Any block: type, body (padded here), with both length fields. */
    public CaptureBuilder block(int type, byte[] body) {
        byte[] p = pad(body);
        return u32(type).u32(12 + p.length).bytes(p).u32(12 + p.length);
    }

    public CaptureBuilder u16(int v) {
        if (le) {
            out.write(v);
            out.write(v >>> 8);
        } else {
            out.write(v >>> 8);
            out.write(v);
        }
        return this;
    }

    public CaptureBuilder u32(long v) {
        if (le) {
            u16((int) v & 0xFFFF).u16((int) (v >>> 16) & 0xFFFF);
        } else {
            u16((int) (v >>> 16) & 0xFFFF).u16((int) v & 0xFFFF);
        }
        return this;
    }

    public CaptureBuilder u64(long v) {
        return le ? u32(v).u32(v >>> 32) : u32(v >>> 32).u32(v);
    }

    public CaptureBuilder bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    public byte[] done() {
        return out.toByteArray();
    }

    private CaptureBuilder child() {
        CaptureBuilder c = new CaptureBuilder();
        c.le = le;
        return c;
    }

    static byte[] pad(byte[] b) {
        byte[] p = new byte[(b.length + 3) & ~3];
        System.arraycopy(b, 0, p, 0, b.length);
        return p;
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }
}
