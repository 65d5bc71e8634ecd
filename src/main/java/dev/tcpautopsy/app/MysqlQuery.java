package dev.tcpautopsy.app;

/** MySQL 8's query attributes (CLIENT_QUERY_ATTRIBUTES), read only to find where a COM_QUERY's text begins. */
final class MysqlQuery {
    private MysqlQuery() {
    }

    /**
     * Where a COM_QUERY's text starts after its query attributes (parameter count, set count, and for
     * each parameter a type, a name and a value in the binary protocol), -1 when not within the kept bytes.
     */
    static int start(byte[] sc, int n) {
        int[] at = {1};
        long count = lenenc(sc, n, at);
        if (count < 0 || lenenc(sc, n, at) < 0) {
            return -1;
        }
        if (count == 0) {
            return at[0];
        }
        if (count > 16) {
            return -1;
        }
        int nulls = at[0];
        at[0] += (int) (count + 7) / 8;
        if (at[0] >= n || sc[at[0]++] != 1) {
            return -1;
        }
        int types = at[0];
        for (int i = 0; i < count; i++) {
            at[0] += 2;
            long name = lenenc(sc, n, at);
            if (name < 0) {
                return -1;
            }
            at[0] += (int) name;
        }
        for (int i = 0, t = types; i < count; i++) {
            int type = t < n ? sc[t] & 0xFF : -1;
            int[] name = {t + 2};
            long len = lenenc(sc, n, name);
            if (type < 0 || len < 0) {
                return -1;
            }
            t = name[0] + (int) len;
            if ((sc[nulls + i / 8] >> (i % 8) & 1) != 0 || type == 6) {
                continue;
            }
            int size = switch (type) {
                case 1 -> 1;
                case 2, 13 -> 2;
                case 3, 4, 9 -> 4;
                case 5, 8 -> 8;
                case 7, 10, 11, 12 -> at[0] < n ? 1 + (sc[at[0]] & 0xFF) : -1;
                default -> {
                    int[] v = {at[0]};
                    long vlen = lenenc(sc, n, v);
                    yield vlen < 0 ? -1 : v[0] - at[0] + (int) vlen;
                }
            };
            if (size < 0) {
                return -1;
            }
            at[0] += size;
        }
        return at[0] < n ? at[0] : -1;
    }

    /** A length-encoded integer at {@code at[0]} (which moves past it), -1 when cut or malformed. */
    private static long lenenc(byte[] b, int n, int[] at) {
        int p = at[0];
        if (p >= n) {
            return -1;
        }
        int v = b[p] & 0xFF;
        int size = v < 0xfb ? 0 : v == 0xfc ? 2 : v == 0xfd ? 3 : v == 0xfe ? 8 : -1;
        if (size < 0 || p + 1 + size > n) {
            return -1;
        }
        long r = size == 0 ? v : 0;
        for (int i = size; i >= 1; i--) {
            r = r << 8 | (b[p + i] & 0xFF);
        }
        at[0] = p + 1 + size;
        return r < 0 ? -1 : r;
    }
}
