package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.Endpoint;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An endpoint as the decoder spells addresses: 128 bits in two longs, IPv4 mapped into IPv6. */
record Addr(long hi, long lo, int port) {

    /** From a report's endpoint, whose address is always a literal (never resolved). */
    static Addr of(Endpoint e) {
        byte[] b;
        try {
            b = InetAddress.getByName(e.ip()).getAddress();
        } catch (UnknownHostException ex) {
            throw new IllegalArgumentException("not an address literal: " + e.ip(), ex);
        }
        if (b.length == 4) {
            long v4 = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
            return new Addr(0, 0x0000_ffff_0000_0000L | v4, e.port());
        }
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (b[i] & 0xFF);
            lo = lo << 8 | (b[i + 8] & 0xFF);
        }
        return new Addr(hi, lo, e.port());
    }

    boolean sameHost(Addr o) {
        return hi == o.hi && lo == o.lo;
    }
}
