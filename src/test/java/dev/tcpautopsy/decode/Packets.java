package dev.tcpautopsy.decode;

import java.io.ByteArrayOutputStream;

/** Builds protocol headers byte by byte for tests (checksums left zero, as offload leaves them). */
public final class Packets {
    public static final byte[] A4 = {(byte) 198, 18, 0, 2}, B4 = {(byte) 198, 18, 1, 2};
    public static final byte[] A6 = v6("20010db8000000000000000000000002"), B6 = v6("20010db8000000010000000000000002");

    private Packets() {
    }

    public static byte[] v6(String hex) {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** A TCP header with the given options (padded to 4 bytes) followed by {@code payload} zero bytes. */
    public static byte[] tcp(int sport, int dport, long seq, long ack, int flags, int window, byte[] options, int payload) {
        int optLen = (options.length + 3) & ~3;
        int hl = 20 + optLen;
        byte[] t = new byte[hl + payload];
        put16(t, 0, sport);
        put16(t, 2, dport);
        put32(t, 4, seq);
        put32(t, 8, ack);
        t[12] = (byte) ((hl / 4) << 4);
        t[13] = (byte) flags;
        put16(t, 14, window);
        System.arraycopy(options, 0, t, 20, options.length);
        for (int i = options.length; i < optLen; i++) {
            t[20 + i] = 0; // end of option list padding
        }
        for (int i = hl; i < t.length; i++) {
            t[i] = (byte) i;
        }
        return t;
    }

    public static byte[] tcp(int sport, int dport, long seq, long ack, int flags, int payload) {
        return tcp(sport, dport, seq, ack, flags, 64240, new byte[0], payload);
    }

    public static byte[] ipv4(byte[] src, byte[] dst, int proto, byte[] payload) {
        return ipv4(src, dst, proto, 64, 0x1234, 0x4000, new byte[0], payload);
    }

    /** An IPv4 header; {@code fragWord} is the flags + fragment offset field (0x4000 = DF). */
    public static byte[] ipv4(byte[] src, byte[] dst, int proto, int ttl, int id, int fragWord, byte[] options,
                              byte[] payload) {
        int hl = 20 + ((options.length + 3) & ~3);
        byte[] ip = new byte[hl + payload.length];
        ip[0] = (byte) (0x40 | hl / 4);
        put16(ip, 2, ip.length);
        put16(ip, 4, id);
        put16(ip, 6, fragWord);
        ip[8] = (byte) ttl;
        ip[9] = (byte) proto;
        System.arraycopy(src, 0, ip, 12, 4);
        System.arraycopy(dst, 0, ip, 16, 4);
        System.arraycopy(options, 0, ip, 20, options.length);
        System.arraycopy(payload, 0, ip, hl, payload.length);
        return ip;
    }

    public static byte[] ipv6(byte[] src, byte[] dst, int next, byte[] payload) {
        byte[] ip = new byte[40 + payload.length];
        ip[0] = 0x60;
        put16(ip, 4, payload.length);
        ip[6] = (byte) next;
        ip[7] = 63;
        System.arraycopy(src, 0, ip, 8, 16);
        System.arraycopy(dst, 0, ip, 24, 16);
        System.arraycopy(payload, 0, ip, 40, payload.length);
        return ip;
    }

    /** An IPv6 extension header (hop-by-hop, routing, destination options) of 8 * (1 + units) bytes. */
    public static byte[] ext(int next, int units, byte[] rest) {
        byte[] e = new byte[8 * (1 + units) + rest.length];
        e[0] = (byte) next;
        e[1] = (byte) units;
        e[2] = 1; // a PadN option filling the header, as the kernel writes
        e[3] = (byte) (8 * (1 + units) - 4);
        System.arraycopy(rest, 0, e, 8 * (1 + units), rest.length);
        return e;
    }

    public static byte[] ether(int type, byte[] payload) {
        byte[] e = new byte[14 + payload.length];
        e[0] = 2;
        e[6] = 2;
        e[11] = 1;
        put16(e, 12, type);
        System.arraycopy(payload, 0, e, 14, payload.length);
        return e;
    }

    /** Ethernet with a stack of tags: {@code tpids[i]} each with VLAN id i + 1. */
    public static byte[] etherTagged(int[] tpids, int type, byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(new byte[12], 0, 12);
        for (int i = 0; i < tpids.length; i++) {
            o.write(tpids[i] >>> 8);
            o.write(tpids[i]);
            o.write(0);
            o.write(i + 1);
        }
        o.write(type >>> 8);
        o.write(type);
        o.write(payload, 0, payload.length);
        return o.toByteArray();
    }

    public static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.write(p, 0, p.length);
        }
        return o.toByteArray();
    }

    public static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    public static void put32(byte[] b, int off, long v) {
        put16(b, off, (int) (v >>> 16) & 0xFFFF);
        put16(b, off + 2, (int) v & 0xFFFF);
    }
}
