package dev.tcpautopsy.capture;

/**
 * Unsigned reads from a byte array, with the byte order in the name. Network headers are
 * big-endian; capture file headers are in the writer's order, chosen once from the magic.
 * Callers check bounds first: these methods do not.
 */
public final class Bytes {
    private Bytes() {
    }


    public static int u16be(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    public static int u16le(byte[] b, int off) {
        return (b[off + 1] & 0xFF) << 8 | (b[off] & 0xFF);
    }

    /**
     * Big-endian 32-bit value as a (possibly negative) int: the raw bits. Two 16-bit reads keep each
     * method under the quick compiler's inlining size (35 bytes of bytecode), so that a packet's header
     * fields are read without a call each.
     */
    public static int i32be(byte[] b, int off) {
        return u16be(b, off) << 16 | u16be(b, off + 2);
    }

    public static int i32le(byte[] b, int off) {
        return u16le(b, off + 2) << 16 | u16le(b, off);
    }

    public static long u32be(byte[] b, int off) {
        return i32be(b, off) & 0xFFFF_FFFFL;
    }

    public static long u32le(byte[] b, int off) {
        return i32le(b, off) & 0xFFFF_FFFFL;
    }

    public static long i64be(byte[] b, int off) {
        return (long) i32be(b, off) << 32 | u32be(b, off + 4);
    }

    public static long i64le(byte[] b, int off) {
        return (long) i32le(b, off + 4) << 32 | u32le(b, off);
    }

    /** The bytes as hex, for error messages (cold). */
    static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = 0; i < len; i++) {
            sb.append(Character.forDigit((b[off + i] >> 4) & 0xF, 16)).append(Character.forDigit(b[off + i] & 0xF, 16));
        }
        return sb.toString();
    }
}
