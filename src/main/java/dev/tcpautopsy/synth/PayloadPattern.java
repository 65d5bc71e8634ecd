package dev.tcpautopsy.synth;

/**
 * The bytes every synthetic payload is cut from: a seeded random block, with prefix sums of its
 * 16-bit words at both alignments, so that the checksum of any payload costs two subtractions
 * instead of a pass over its bytes. A byte's content depends only on its stream offset, so a
 * retransmission carries exactly the bytes of the original.
 */
final class PayloadPattern {
    /** Period of the pattern; a power of two. */
    static final int PERIOD = 1 << 16;
    /** Longest payload that can be cut at any offset. */
    static final int MAX_LEN = 1 << 14;

    final byte[] bytes = new byte[PERIOD + MAX_LEN + 2];
    private final long[] even;
    private final long[] odd;

    PayloadPattern(long seed) {
        Rng rng = new Rng(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < PERIOD; i += 8) {
            long v = rng.nextLong();
            for (int k = 0; k < 8; k++) {
                bytes[i + k] = (byte) (v >>> (8 * k));
            }
        }
        System.arraycopy(bytes, 0, bytes, PERIOD, MAX_LEN + 2);
        int words = bytes.length / 2;
        even = new long[words + 1];
        odd = new long[words];
        for (int j = 0; j < words; j++) {
            even[j + 1] = even[j] + (((bytes[2 * j] & 0xFF) << 8) | (bytes[2 * j + 1] & 0xFF));
        }
        for (int j = 0; j + 1 < words; j++) {
            odd[j + 1] = odd[j] + (((bytes[2 * j + 1] & 0xFF) << 8) | (bytes[2 * j + 2] & 0xFF));
        }
    }

    /** Offset in {@link #bytes} of the payload byte at stream position {@code pos}. */
    static int offset(long pos) {
        return (int) (pos & (PERIOD - 1));
    }

    /** Unfolded word sum of {@code bytes[off .. off+len)} as if it started on an even boundary; len &lt;= MAX_LEN. */
    long sum(int off, int len) {
        int words = len >>> 1;
        long s;
        if ((off & 1) == 0) {
            s = even[(off >>> 1) + words] - even[off >>> 1];
        } else {
            s = odd[(off >>> 1) + words] - odd[off >>> 1];
        }
        if ((len & 1) != 0) {
            s += (bytes[off + len - 1] & 0xFF) << 8;
        }
        return s;
    }
}
