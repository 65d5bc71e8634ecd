package dev.tcpautopsy.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bytes are the JDK's OutputStreamWriter's with UTF-8, however the text is cut into calls. */
class Utf8WriterTest {

    /** Text with ASCII, 2- and 3-byte chars, pairs, and unpaired surrogates of both halves. */
    private static String text(Random r, int len) {
        char[] pool = {'a', 'Z', ',', '"', '\r', '\n', 'é', 'ß', '€', '中', '\uD83D', '\uDE00', '\uDBFF', '\uDFFF', '\u07FF',
                '\u0800', '\uFFFF', '\u007F', '\u0080'};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            if (r.nextInt(5) == 0) {
                sb.appendCodePoint(0x1F600 + r.nextInt(50)); // a proper pair
            } else {
                sb.append(pool[r.nextInt(pool.length)]);
            }
        }
        return sb.toString();
    }

    private static byte[] jdk(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(b, StandardCharsets.UTF_8)) {
            w.write(s);
        }
        return b.toByteArray();
    }

    @Test
    void theSameBytesAsTheJdkWhereverTheTextIsCut() throws IOException {
        Random r = new Random(7);
        for (int round = 0; round < 3000; round++) {
            String s = text(r, r.nextInt(200));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            // a small buffer, so that the room check at its end is crossed many times
            try (Utf8Writer w = new Utf8Writer(b, 64 + r.nextInt(8))) {
                int i = 0;
                while (i < s.length()) {
                    int k = Math.min(s.length() - i, r.nextInt(9));
                    int kind = r.nextInt(6);
                    if (kind == 5 && k > 0 && (Character.isLowSurrogate(s.charAt(i))
                            || Character.isHighSurrogate(s.charAt(i + k - 1)))) {
                        // whole strings' bytes only: a pair cut across them is two unpaired halves
                        kind = 0;
                    }
                    switch (kind) {
                        case 0 -> w.write(s, i, k);
                        case 5 -> {
                            byte[] u = s.substring(i, i + k).getBytes(StandardCharsets.UTF_8);
                            w.writeUtf8(u, 0, u.length);
                        }
                        case 1 -> w.append(s, i, i + k);
                        case 2 -> w.append(new StringBuilder(s), i, i + k);
                        case 3 -> w.write(s.toCharArray(), i, k);
                        default -> {
                            k = Math.min(1, k);
                            if (k == 1) {
                                w.write(s.charAt(i));
                            }
                        }
                    }
                    i += k;
                }
            }
            assertArrayEquals(jdk(s), b.toByteArray(), () -> "text " + s.chars().mapToObj(Integer::toHexString).toList());
        }
    }

    @Test
    void longStringsAndFlush() throws IOException {
        String s = "x".repeat(5000) + "€".repeat(3000) + "\uD83D\uDE00".repeat(1000);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Utf8Writer w = new Utf8Writer(b, 100);
        w.append(s);
        w.flush();
        assertEquals(s, b.toString(StandardCharsets.UTF_8));
        w.append("\uD83D");
        w.close();
        w.close();
        assertEquals(s + "?", b.toString(StandardCharsets.UTF_8), "an unpaired high surrogate at the end");
        assertThrows(IndexOutOfBoundsException.class, () -> new Utf8Writer(new ByteArrayOutputStream(), 64).append("abc", 2, 5));
    }

    /**
     * ASCII strings and numbers written past the encoder, mixed with text (an unpaired high surrogate
     * right before them included) and cut at every buffer boundary: what the JDK writes for their text.
     */
    @Test
    void asciiAndDecimalsAreTheirText() throws IOException {
        Random r = new Random(13);
        long[] edges = {0, 1, -1, 9, 10, 99, 100, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE,
                999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (int round = 0; round < 300; round++) {
            StringBuilder expected = new StringBuilder();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (Utf8Writer w = new Utf8Writer(bytes, 64 + r.nextInt(64))) {
                for (int k = 0; k < 40; k++) {
                    switch (r.nextInt(4)) {
                        case 0 -> {
                            long v = r.nextInt(3) == 0 ? edges[r.nextInt(edges.length)]
                                    : r.nextLong() >> r.nextInt(64);
                            w.writeDecimal(v);
                            expected.append(v);
                        }
                        case 1 -> {
                            String a = "198.18.0." + r.nextInt(256) + "FIN_ORDERLY 2026-11-24T17:00:00.000530Z".substring(r.nextInt(20));
                            String s = r.nextInt(10) == 0 ? a.repeat(3) : a;
                            w.writeAscii(s);
                            expected.append(s);
                        }
                        case 2 -> {
                            w.write('\uD83D');
                            expected.append('\uD83D');
                        }
                        default -> {
                            String t = text(r, r.nextInt(6));
                            w.write(t);
                            expected.append(t);
                        }
                    }
                }
            }
            assertArrayEquals(jdk(expected.toString()), bytes.toByteArray(), expected.toString());
        }
    }

    /** Decimal.put spells every long as Long.toString does. */
    @Test
    void decimalsAreLongToString() {
        Random r = new Random(5);
        byte[] b = new byte[Decimal.MAX + 3];
        for (int i = 0; i < 200_000; i++) {
            long v = i < 64 ? (1L << i) - (i % 2) : r.nextLong() >> r.nextInt(64);
            int end = Decimal.put(b, 3, v);
            assertEquals(Long.toString(v), new String(b, 3, end - 3, StandardCharsets.US_ASCII));
        }
        int end = Decimal.put(b, 0, Long.MIN_VALUE);
        assertEquals(Long.toString(Long.MIN_VALUE), new String(b, 0, end, StandardCharsets.US_ASCII));
    }
}
