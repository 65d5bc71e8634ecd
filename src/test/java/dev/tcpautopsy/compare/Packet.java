package dev.tcpautopsy.compare;

/** Offsets of one Ethernet frame's IP and TCP headers, for tests that rewrite captures byte by byte. */
record Packet(boolean v6, int ip, int tcp, int flags, long seq, long ack, int payload, int srcPort, int dstPort,
              boolean fromClient, long clientKey) {

    /** Null for anything but Ethernet + IPv4 / IPv6 + TCP. */
    static Packet of(byte[] f) {
        int type = u16(f, 12);
        int ip = 14, tcp, payload;
        boolean v6 = type == 0x86DD;
        boolean fromClient;
        long key;
        if (type == 0x0800 && f[ip + 9] == 6) {
            tcp = ip + ((f[ip] & 0x0F) << 2);
            payload = u16(f, ip + 2) - (tcp - ip) - ((f[tcp + 12] & 0xF0) >> 2);
            fromClient = (f[ip + 12] & 0xFF) == 198 && (f[ip + 13] & 0xFF) == 18;
            key = u32(f, fromClient ? ip + 12 : ip + 16);
        } else if (v6 && f[ip + 6] == 6) {
            tcp = ip + 40;
            payload = u16(f, ip + 4) - ((f[tcp + 12] & 0xF0) >> 2);
            fromClient = u16(f, ip + 8 + 4) == 0;
            key = u32(f, fromClient ? ip + 8 + 12 : ip + 24 + 12);
        } else {
            return null;
        }
        int sport = u16(f, tcp), dport = u16(f, tcp + 2);
        key = key << 16 | (fromClient ? sport : dport);
        return new Packet(v6, ip, tcp, f[tcp + 13] & 0xFF, u32(f, tcp + 4), u32(f, tcp + 8), payload, sport, dport,
                fromClient, key);
    }

    /** The key of {@link #clientKey} for a client endpoint: its address's last 32 bits and its port. */
    static long key(dev.tcpautopsy.model.Endpoint client) {
        try {
            byte[] b = java.net.InetAddress.getByName(client.ip()).getAddress();
            return u32(b, b.length - 4) << 16 | client.port();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(client.ip(), e);
        }
    }

    int ttlAt() {
        return v6 ? ip + 7 : ip + 8;
    }

    int serverPort() {
        return fromClient ? dstPort : srcPort;
    }

    /** Sets the MSS option of a SYN to {@code mss} when it is larger. */
    void clampMss(byte[] g, int mss) {
        if ((flags & 0x02) == 0) {
            return;
        }
        int end = tcp + ((g[tcp + 12] & 0xF0) >> 2);
        for (int p = tcp + 20; p < end; ) {
            int kind = g[p] & 0xFF;
            if (kind == 0) {
                return;
            }
            if (kind == 1) {
                p++;
                continue;
            }
            if (kind == 2 && u16(g, p + 2) > mss) {
                put16(g, p + 2, mss);
            }
            p += Math.max(2, g[p + 1] & 0xFF);
        }
    }

    /** A RST+ACK with no options and no payload in place of this segment (same addresses and direction). */
    byte[] reset(byte[] f, long seq, long ack) {
        byte[] g = java.util.Arrays.copyOf(f, tcp + 20);
        put32(g, tcp + 4, seq);
        put32(g, tcp + 8, ack);
        g[tcp + 12] = 0x50;
        g[tcp + 13] = 0x14;
        if (v6) {
            put16(g, ip + 4, 20);
        } else {
            put16(g, ip + 2, tcp - ip + 20);
            put16(g, ip + 4, 0x7777);
        }
        return g;
    }

    static int u16(byte[] b, int o) {
        return (b[o] & 0xFF) << 8 | (b[o + 1] & 0xFF);
    }

    static long u32(byte[] b, int o) {
        return (long) u16(b, o) << 16 | u16(b, o + 2);
    }

    static void put8(byte[] b, int o, int v) {
        b[o] = (byte) v;
    }

    static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    static void put32(byte[] b, int o, long v) {
        put16(b, o, (int) (v >>> 16) & 0xFFFF);
        put16(b, o + 2, (int) v & 0xFFFF);
    }
}
