package dev.tcpautopsy.decode;

import static dev.tcpautopsy.capture.Bytes.u16be;
import static dev.tcpautopsy.capture.Bytes.u32be;

/** TCP options (RFC 9293 3.1, RFC 7323, RFC 2018) into the option fields of a {@link TcpSegment}. */
final class TcpOptions {
    private TcpOptions() {
    }

    /**
     * Parses {@code b[p .. end)}; the caller has cleared the option fields.
     *
     * @return {@code false} when an option had an impossible length (what came before it is kept)
     */
    static boolean parse(byte[] b, int p, int end, TcpSegment out) {
        // Linux's usual layout on every established segment: NOP NOP TS(10)
        if (end - p == 12 && b[p] == 1 && b[p + 1] == 1 && b[p + 2] == 8 && b[p + 3] == 10) {
            out.tsVal = u32be(b, p + 4);
            out.tsEcr = u32be(b, p + 8);
            return true;
        }
        while (p < end) {
            int kind = b[p] & 0xFF;
            if (kind == 0) {
                return true; // end of option list
            }
            if (kind == 1) {
                p++;
                continue;
            }
            if (end - p < 2) {
                return false;
            }
            int len = b[p + 1] & 0xFF;
            if (len < 2 || len > end - p) {
                return false;
            }
            switch (kind) {
                case 2:
                    if (len == 4) {
                        out.mss = u16be(b, p + 2);
                    }
                    break;
                case 3:
                    if (len == 3) {
                        out.windowScale = b[p + 2] & 0xFF;
                    }
                    break;
                case 4:
                    out.sackPermitted = len == 2;
                    break;
                case 5:
                    sack(b, p, len, out);
                    break;
                case 8:
                    if (len == 10) {
                        out.tsVal = u32be(b, p + 2);
                        out.tsEcr = u32be(b, p + 6);
                    }
                    break;
                default:
                    break;
            }
            p += len;
        }
        return true;
    }

    private static void sack(byte[] b, int p, int len, TcpSegment out) {
        int n = Math.min((len - 2) / 8, 4);
        for (int i = 0; i < n; i++) {
            out.sackLeft[i] = u32be(b, p + 2 + 8 * i);
            out.sackRight[i] = u32be(b, p + 6 + 8 * i);
        }
        out.sackCount = n;
    }
}
