package dev.tcpautopsy.app;

/** The server name and the ALPN protocols of the last ClientHello, bounded. */
final class TlsNames {
    static final int SNI = 64, ALPN = 32;
    final byte[] sni = new byte[SNI];
    final byte[] alpn = new byte[ALPN];
    int sniLen, alpnLen;
    boolean sniCut, alpnCut;

    void reset() {
        sniLen = alpnLen = 0;
        sniCut = alpnCut = false;
    }

    static String string(byte[] b, int len, boolean cut) {
        if (len == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(len + 3);
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xFF;
            sb.append(c < 0x20 || c > 0x7e ? '?' : (char) c);
        }
        return cut ? sb.append("...").toString() : sb.toString();
    }
}
