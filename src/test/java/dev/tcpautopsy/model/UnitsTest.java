package dev.tcpautopsy.model;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Seconds in reasons: the integer rounding agrees with String.format, ties and large values included. */
class UnitsTest {

    private static String formatted(long nanos) {
        double s = nanos / 1e9;
        return s < 10 ? String.format(Locale.ROOT, "%.2f", s)
                : s < 100 ? String.format(Locale.ROOT, "%.1f", s) : String.format(Locale.ROOT, "%.0f", s);
    }

    @Test
    void secondsAsTheFormatterRoundsThem() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            long nanos = switch (i % 4) {
                case 0 -> r.nextLong(0, 20_000_000_000L);
                case 1 -> r.nextLong(0, 2_000_000L) * 5_000_000L; // on and near the ties
                case 2 -> r.nextLong(0, 200_000L) * 500_000_000L + r.nextInt(-2, 3);
                default -> r.nextLong(0, Long.MAX_VALUE);
            };
            assertEquals(formatted(nanos), Units.secsBare(nanos), Long.toString(nanos));
        }
        for (long n : new long[]{0, 1, 4_999_999, 5_000_000, 9_994_999_999L, 9_995_000_000L, 99_950_000_000L,
            99_949_999_999L, 100_500_000_000L, 999_999_999_999_999L, 1_000_000_000_000_000L}) {
            assertEquals(formatted(n), Units.secsBare(n), Long.toString(n));
        }
    }

    @Test
    void sizesAsTheServiceSpellsThem() {
        assertEquals("0 bytes", Units.size(0));
        assertEquals("1 byte", Units.size(1));
        assertEquals("1023 bytes", Units.size(1023));
        assertEquals("1 KiB", Units.size(1024));
        assertEquals("1.5 KiB", Units.size(1536));
        assertEquals("148.3 KiB", Units.size(151_859));
        assertEquals("2 GiB", Units.size(2L << 30));
        assertEquals("100 MiB", Units.size(100L << 20));
        // just under a whole number of the unit: rounded, and then written with its decimal
        assertEquals("2.0 GiB", Units.size((2L << 30) - 1));
        assertEquals("1 PiB", Units.size(1L << 50));
        assertEquals("1024 PiB", Units.size(1L << 60), "no unit past PiB");
    }
}
