package dev.tcpautopsy.synth;

/**
 * Writes one planned packet as an Ethernet / IPv4 or IPv6 / TCP frame, with correct IP and TCP
 * checksums, straight into the sink's buffer. Linux's option layouts: SYN and SYN-ACK carry MSS,
 * SACK-permitted, timestamps, NOP, window scale (or MSS, NOP, NOP, SACK-permitted, NOP, window
 * scale without timestamps); other segments NOP, NOP, timestamps; a SACK block rides behind
 * NOP, NOP.
 */
final class FrameBuilder {
    /** Longest frame this builder writes: Ethernet + IPv6 + TCP with timestamps and SACK + 1 MSS. */
    static final int MAX_FRAME = 14 + 40 + 44 + 1460;
    private static final long ROUTER_MAC = 0x02_00_5e_c6_12_01L;
    private static final long CLIENT_MAC = 0x02_00_5e_00_00_00L;

    private final PayloadPattern pattern;
    private final Rng idRng;

    FrameBuilder(PayloadPattern pattern, long seed) {
        this.pattern = pattern;
        this.idRng = new Rng(seed ^ 0x1D1D1D1DL);
    }

    /** Writes the head packet of {@code c}'s queue at {@code b[o..]}; returns the frame length. */
    int write(Conn c, byte[] b, int o) {
        PacketQueue q = c.q;
        int i = q.head;
        long t = q.time[i];
        int meta = q.meta[i];
        boolean s2c = (meta & PacketQueue.S2C) != 0;
        int flags = meta & 0xFF;
        int len = q.len[i];
        int opt = meta & PacketQueue.OPT_MASK;
        boolean tsOpt = c.ts && opt != PacketQueue.OPT_NONE;
        boolean sack = (meta & PacketQueue.SACK) != 0;
        int optLen = opt == PacketQueue.OPT_SYN ? (c.ts ? 20 : 12) : (tsOpt ? 12 : 0) + (sack ? 12 : 0);
        int tcpLen = 20 + optLen + len;

        // Ethernet
        long client = CLIENT_MAC | c.clientIndex;
        putMac(b, o, s2c ? client : ROUTER_MAC);
        putMac(b, o + 6, s2c ? ROUTER_MAC : client);
        b[o + 12] = (byte) (c.v6 ? 0x86 : 0x08);
        b[o + 13] = (byte) (c.v6 ? 0xDD : 0x00);
        int ip = o + 14;

        int ttlOverride = (meta >>> PacketQueue.TTL_SHIFT) & 0xFF;
        int ttl = ttlOverride != 0 ? ttlOverride : s2c ? Conn.SERVER_TTL : Conn.CLIENT_TTL;
        long pseudo;
        int tcp;
        if (!c.v6) {
            int id;
            if ((meta & PacketQueue.IPID_ZERO) != 0) {
                id = 0;
            } else if (ttlOverride != 0) {
                id = idRng.nextInt(65536);
            } else {
                id = s2c ? c.sIpId++ : c.cIpId++;
            }
            int total = 20 + tcpLen;
            b[ip] = 0x45;
            b[ip + 1] = 0;
            put16(b, ip + 2, total);
            put16(b, ip + 4, id);
            // Linux sets DF on TCP; a forging device often does not
            put16(b, ip + 6, ttlOverride != 0 ? 0 : 0x4000);
            b[ip + 8] = (byte) ttl;
            b[ip + 9] = 6;
            put16(b, ip + 10, 0);
            int src = s2c ? c.sIp4 : c.cIp4;
            int dst = s2c ? c.cIp4 : c.sIp4;
            put32(b, ip + 12, src);
            put32(b, ip + 16, dst);
            put16(b, ip + 10, Checksum.fold(Checksum.sum(b, ip, 20)));
            pseudo = Checksum.sum32(src & 0xFFFFFFFFL) + Checksum.sum32(dst & 0xFFFFFFFFL) + 6 + tcpLen;
            tcp = ip + 20;
        } else {
            put32(b, ip, 0x6000_0000 | c.flowLabel);
            put16(b, ip + 4, tcpLen);
            b[ip + 6] = 6;
            b[ip + 7] = (byte) ttl;
            long srcHi = s2c ? c.sHi : c.cHi;
            long srcLo = s2c ? c.sLo : c.cLo;
            long dstHi = s2c ? c.cHi : c.sHi;
            long dstLo = s2c ? c.cLo : c.sLo;
            put64(b, ip + 8, srcHi);
            put64(b, ip + 16, srcLo);
            put64(b, ip + 24, dstHi);
            put64(b, ip + 32, dstLo);
            pseudo = Checksum.sum64(srcHi) + Checksum.sum64(srcLo) + Checksum.sum64(dstHi) + Checksum.sum64(dstLo)
                    + 6 + tcpLen;
            tcp = ip + 40;
        }

        // TCP header
        long myIsn = s2c ? c.sIsn : c.cIsn;
        long peerIsn = s2c ? c.cIsn : c.sIsn;
        long seq = (meta & PacketQueue.ABS_SEQ) != 0 ? q.seq[i] : myIsn + q.seq[i];
        long ack = (flags & Conn.ACK) != 0 ? peerIsn + q.ack[i] : 0;
        put16(b, tcp, s2c ? c.sPort : c.cPort);
        put16(b, tcp + 2, s2c ? c.cPort : c.sPort);
        put32(b, tcp + 4, (int) seq);
        put32(b, tcp + 8, (int) ack);
        b[tcp + 12] = (byte) (((20 + optLen) / 4) << 4);
        b[tcp + 13] = (byte) flags;
        put16(b, tcp + 14, q.win[i]);
        put16(b, tcp + 16, 0);
        put16(b, tcp + 18, 0);
        int p = tcp + 20;
        if (opt == PacketQueue.OPT_SYN) {
            int mssOpt = c.mss + (c.ts ? 12 : 0);
            b[p] = 2;
            b[p + 1] = 4;
            put16(b, p + 2, mssOpt);
            if (c.ts) {
                b[p + 4] = 4;
                b[p + 5] = 2;
                p = timestamps(c, s2c, t, (flags & Conn.ACK) == 0, b, p + 6);
            } else {
                b[p + 4] = 1;
                b[p + 5] = 1;
                b[p + 6] = 4;
                b[p + 7] = 2;
                p += 8;
            }
            b[p] = 1;
            b[p + 1] = 3;
            b[p + 2] = 3;
            b[p + 3] = Conn.WSCALE;
            p += 4;
        } else {
            if (tsOpt) {
                b[p] = 1;
                b[p + 1] = 1;
                p = timestamps(c, s2c, t, false, b, p + 2);
            }
            if (sack) {
                b[p] = 1;
                b[p + 1] = 1;
                b[p + 2] = 5;
                b[p + 3] = 10;
                put32(b, p + 4, (int) (peerIsn + q.sackL[i]));
                put32(b, p + 8, (int) (peerIsn + q.sackR[i]));
                p += 12;
            }
        }
        long sum = pseudo + Checksum.sum(b, tcp, 20 + optLen);
        if (len > 0) {
            int from = PayloadPattern.offset(q.seq[i] + (s2c ? c.sSalt : c.cSalt));
            System.arraycopy(pattern.bytes, from, b, p, len);
            sum += pattern.sum(from, len);
        }
        put16(b, tcp + 16, Checksum.fold(sum));
        return 14 + (c.v6 ? 40 : 20) + tcpLen;
    }

    /** Kind 8 option at p: the sender's clock (ms ticks with a per-connection offset) and the echo. */
    private static int timestamps(Conn c, boolean s2c, long t, boolean firstSyn, byte[] b, int p) {
        long sent = s2c ? t - c.rtt / 2 : t;
        long val = ((s2c ? c.sTsOff : c.cTsOff) + sent / Conn.MS) & 0xFFFFFFFFL;
        long ecr = firstSyn ? 0 : s2c ? c.cTsLast : c.sTsLast;
        if (s2c) {
            c.sTsLast = val;
        } else {
            c.cTsLast = val;
        }
        b[p] = 8;
        b[p + 1] = 10;
        put32(b, p + 2, (int) val);
        put32(b, p + 6, (int) ecr);
        return p + 10;
    }

    private static void putMac(byte[] b, int o, long mac) {
        put16(b, o, (int) (mac >>> 32));
        put32(b, o + 2, (int) mac);
    }

    static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    static void put32(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static void put64(byte[] b, int o, long v) {
        put32(b, o, (int) (v >>> 32));
        put32(b, o + 4, (int) v);
    }
}
