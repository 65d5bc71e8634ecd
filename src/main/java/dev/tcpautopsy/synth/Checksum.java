package dev.tcpautopsy.synth;

/** The Internet checksum (RFC 1071): a ones' complement sum of 16-bit big-endian words. */
final class Checksum {
    private Checksum() {
    }

    /** Unfolded sum of the big-endian 16-bit words of {@code b[off .. off+len)}; an odd last byte is padded with zero. */
    static long sum(byte[] b, int off, int len) {
        long s = 0;
        int end = off + (len & ~1);
        for (int i = off; i < end; i += 2) {
            s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xFF) << 8;
        }
        return s;
    }

    /** Folds an unfolded sum to 16 bits and complements it: the value that goes into the header. */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** Sum of a 32-bit value as two words. */
    static long sum32(long v) {
        return ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
    }

    /** Sum of a 64-bit value as four words. */
    static long sum64(long v) {
        return ((v >>> 48) & 0xFFFF) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
    }
}
