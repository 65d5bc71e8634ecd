package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.Addresses;

/**
 * Addresses as text, remembered: a direct-mapped cache of the last address seen in each of its slots.
 * Every finished connection names its two ends, and the same servers and clients come back flow after
 * flow; one instance per thread. Large enough for the clients of a busy capture: the tables keyed by
 * address downstream (TTL baselines, the summary's hosts, bursts) then get the same String again, its
 * hash already computed and compared by reference.
 */
final class AddressNames {
    private static final int SLOTS = 1 << 16;
    private final long[] his = new long[SLOTS], los = new long[SLOTS];
    private final String[] names = new String[SLOTS];

    String of(long hi, long lo) {
        long h = (hi * 0x9E37_79B9_7F4A_7C15L) ^ (lo * 0xC2B2_AE3D_27D4_EB4FL);
        int i = (int) (h >>> 48) & (SLOTS - 1);
        String s = names[i];
        if (s != null && his[i] == hi && los[i] == lo) {
            return s;
        }
        s = Addresses.format(hi, lo);
        his[i] = hi;
        los[i] = lo;
        names[i] = s;
        return s;
    }
}
