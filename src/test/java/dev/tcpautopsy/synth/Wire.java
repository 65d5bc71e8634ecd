package dev.tcpautopsy.synth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reader for the generator's classic-pcap output: parses every frame down to TCP
 * and recomputes both checksums itself, so the tests do not trust the code they check.
 */
final class Wire {
    static final int FIN = 1, SYN = 2, RST = 4, ACK = 16;

    /** One decoded TCP segment. */
    record Seg(int frame, long tNanos, boolean v6, String src, int sport, String dst, int dport, int ttl, int ipId,
               long seq, long ack, int flags, int win, int len, long tsVal, long sackLeft, boolean ipSumOk,
               boolean tcpSumOk) {
        boolean has(int f) {
            return (flags & f) == f;
        }

        String from() {
            return src + " " + sport;
        }
    }

    /** Segments grouped per connection (keyed "client port server port"), in file order. */
    final Map<String, List<Seg>> flows = new LinkedHashMap<>();
    final List<Seg> all = new ArrayList<>();

    static Wire parse(byte[] pcap) {
        Wire w = new Wire();
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        boolean nanos = magic == 0xA1B23C4D;
        if (!nanos && magic != 0xA1B2C3D4) {
            throw new AssertionError("not a little-endian pcap: magic " + Integer.toHexString(magic));
        }
        int pos = 24;
        int frame = 0;
        while (pos < pcap.length) {
            long sec = b.getInt(pos) & 0xFFFFFFFFL;
            long frac = b.getInt(pos + 4) & 0xFFFFFFFFL;
            int capLen = b.getInt(pos + 8);
            int wireLen = b.getInt(pos + 12);
            if (capLen != wireLen) {
                throw new AssertionError("frame " + (frame + 1) + " captured " + capLen + " of " + wireLen);
            }
            Seg s = decode(pcap, pos + 16, capLen, ++frame, sec * 1_000_000_000L + (nanos ? frac : frac * 1000));
            w.all.add(s);
            String key = s.has(SYN) && !s.has(ACK) ? s.from() + " " + s.dst + " " + s.dport : null;
            if (key == null) {
                String fwd = s.from() + " " + s.dst + " " + s.dport;
                key = w.flows.containsKey(fwd) ? fwd : s.dst + " " + s.dport + " " + s.from();
            }
            w.flows.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            pos += 16 + capLen;
        }
        return w;
    }

    private static Seg decode(byte[] f, int o, int len, int frame, long t) {
        int type = u16(f, o + 12);
        int ip = o + 14;
        boolean v6 = type == 0x86DD;
        if (!v6 && type != 0x0800) {
            throw new AssertionError("frame " + frame + ": ethertype " + Integer.toHexString(type));
        }
        long pseudo;
        int tcp;
        int tcpLen;
        String src;
        String dst;
        int ttl;
        int ipId;
        boolean ipOk = true;
        if (!v6) {
            int ihl = (f[ip] & 0x0F) * 4;
            int total = u16(f, ip + 2);
            if (total != len - 14) {
                throw new AssertionError("frame " + frame + ": IPv4 total length " + total + " vs frame " + (len - 14));
            }
            ipOk = fold(sum(f, ip, ihl)) == 0;
            ttl = f[ip + 8] & 0xFF;
            ipId = u16(f, ip + 4);
            src = (f[ip + 12] & 0xFF) + "." + (f[ip + 13] & 0xFF) + "." + (f[ip + 14] & 0xFF) + "." + (f[ip + 15] & 0xFF);
            dst = (f[ip + 16] & 0xFF) + "." + (f[ip + 17] & 0xFF) + "." + (f[ip + 18] & 0xFF) + "." + (f[ip + 19] & 0xFF);
            tcp = ip + ihl;
            tcpLen = total - ihl;
            pseudo = sum(f, ip + 12, 8) + 6 + tcpLen;
        } else {
            tcpLen = u16(f, ip + 4);
            ttl = f[ip + 7] & 0xFF;
            ipId = -1;
            src = hex(f, ip + 8);
            dst = hex(f, ip + 24);
            tcp = ip + 40;
            pseudo = sum(f, ip + 8, 32) + 6 + tcpLen;
        }
        boolean tcpOk = fold(pseudo + sum(f, tcp, tcpLen)) == 0;
        int doff = ((f[tcp + 12] & 0xFF) >>> 4) * 4;
        long tsVal = -1;
        long sackLeft = -1;
        for (int p = tcp + 20; p < tcp + doff; ) {
            int kind = f[p] & 0xFF;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                p++;
                continue;
            }
            int l = f[p + 1] & 0xFF;
            if (kind == 8) {
                tsVal = u32(f, p + 2);
            } else if (kind == 5) {
                sackLeft = u32(f, p + 2);
            }
            p += l;
        }
        return new Seg(frame, t, v6, src, u16(f, tcp), dst, u16(f, tcp + 2), ttl, ipId, u32(f, tcp + 4), u32(f, tcp + 8),
                f[tcp + 13] & 0xFF, u16(f, tcp + 14), tcpLen - doff, tsVal, sackLeft, ipOk, tcpOk);
    }

    private static String hex(byte[] f, int o) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            sb.append(i > 0 ? ":" : "").append(Integer.toHexString(u16(f, o + i)));
        }
        return sb.toString();
    }

    static long sum(byte[] b, int o, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += u16(b, o + i);
        }
        if ((len & 1) == 1) {
            s += (b[o + len - 1] & 0xFF) << 8;
        }
        return s;
    }

    /** Folded ones' complement of a sum that includes the checksum field: 0 when the checksum is right. */
    static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }

    static int u16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    static long u32(byte[] b, int o) {
        return ((long) u16(b, o) << 16) | u16(b, o + 2);
    }
}
