package dev.tcpautopsy.report;

import dev.tcpautopsy.model.Units;
import org.junit.jupiter.api.Test;

import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-made spellings of times agree with the JDK's formatters, edges included. */
class TextsTest {
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static String slow(Instant t) {
        int n = t.getNano();
        return ISO.format(t) + "." + (n % 1000 == 0 ? String.format(Locale.ROOT, "%06d", n / 1000)
                : String.format(Locale.ROOT, "%09d", n)) + "Z";
    }

    @Test
    void instantsAsTheFormatterSpellsThem() {
        assertEquals("2026-11-24T17:38:58.123456Z", Texts.instant(Instant.parse("2026-11-24T17:38:58.123456Z")));
        assertEquals("2026-11-24T17:38:58.123456789Z", Texts.instant(Instant.parse("2026-11-24T17:38:58.123456789Z")));
        assertEquals("1970-01-01T00:00:00.000000Z", Texts.instant(Instant.EPOCH));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            // years 0 to 12000, across the fast path's bounds, and micro- and nanosecond fractions
            long sec = r.nextLong(-62_167_219_200L, 316_559_347_200L);
            int nanos = r.nextBoolean() ? r.nextInt(1_000_000) * 1000 : r.nextInt(1_000_000_000);
            Instant t = Instant.ofEpochSecond(sec, nanos);
            assertEquals(slow(t), Texts.instant(t), t.toString());
            // and written into a buffer by the reports: the same text, where the fast path spells it
            assertEquals(t.getEpochSecond() >= -30_610_224_000L && t.getEpochSecond() < 253_402_300_800L,
                    Texts.spellsDirectly(t), t.toString());
            if (Texts.spellsDirectly(t)) {
                byte[] b = new byte[Texts.INSTANT_MAX + 5];
                int end = Texts.instant(t, b, 5);
                assertEquals(slow(t), new String(b, 5, end - 5, java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        for (long edge : new long[]{-30_610_224_001L, -30_610_224_000L, 253_402_300_799L, 253_402_300_800L}) {
            Instant t = Instant.ofEpochSecond(edge, 5000);
            assertEquals(slow(t), Texts.instant(t));
        }
    }

    @Test
    void exactSecondsTextAgreesWithTheDecimal() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            Instant a = Instant.ofEpochSecond(1_700_000_000L + r.nextInt(100_000),
                    r.nextBoolean() ? r.nextInt(1_000_000) * 1000 : r.nextInt(1_000_000_000));
            Instant b = a.plus(Duration.ofNanos(r.nextBoolean() ? r.nextLong(-5_000_000_000L, 50_000_000_000L)
                    : r.nextInt(10) * 1_000_000_000L + r.nextInt(3) * 1000L));
            assertEquals(Texts.exactSeconds(a, b).toPlainString(), Texts.exactSecondsText(a, b, false), a + " " + b);
            assertEquals(Texts.exactSeconds(a, b).stripTrailingZeros().toPlainString(), Texts.exactSecondsText(a, b, true),
                    a + " " + b);
        }
        Instant far = Instant.ofEpochSecond(-9_000_000_000_000L);
        Instant now = Instant.parse("2026-11-24T17:38:58.5Z");
        assertEquals(Texts.exactSeconds(far, now).toPlainString(), Texts.exactSecondsText(far, now, false));
        assertEquals("0", Texts.exactSecondsText(now, now, true));
        assertEquals("0.000000", Texts.exactSecondsText(now, now, false));
        assertEquals(Texts.exactSeconds(now, now.minusMillis(1500)).setScale(6, RoundingMode.UNNECESSARY).toPlainString(),
                Texts.exactSecondsText(now, now.minusMillis(1500), false));
    }

    @Test
    void fixedDecimalsAsTheFormatterRoundsThem() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            long nanos = switch (i % 4) {
                case 0 -> r.nextLong(0, 200_000_000_000L);
                case 1 -> r.nextLong(0, 2_000_000L) * 500L + r.nextInt(-1, 2); // on and near the ties
                case 2 -> r.nextLong(0, 2_000_000_000_000_000L);
                default -> r.nextLong(0, 1000);
            };
            double v = i % 7 == 0 ? r.nextDouble() * 1000 : nanos / 1e9;
            int places = r.nextInt(0, 10);
            assertEquals(String.format(Locale.ROOT, "%." + places + "f", v), Units.fixed(v, places), v + " " + places);
        }
        assertEquals(String.format(Locale.ROOT, "%.1f", -0.0), Units.fixed(-0.0, 1));
        // any double, as chart coordinates are: all magnitudes, ties in binary (x.x5, x.25), signs
        for (int i = 0; i < 300_000; i++) {
            double v = switch (i % 4) {
                case 0 -> r.nextDouble() * Math.pow(10, r.nextInt(-8, 16));
                case 1 -> Math.round(r.nextDouble() * 100_000) / 100.0 + 0.05;
                case 2 -> r.nextInt(0, 100_000) / 8.0;
                default -> r.nextLong(0, 1L << 40) / 1024.0;
            };
            v = r.nextInt(4) == 0 ? -v : v;
            int places = r.nextInt(0, 10);
            assertEquals(String.format(Locale.ROOT, "%." + places + "f", v), Units.fixed(v, places), v + " " + places);
        }
    }

    @Test
    void countsDurationsAndSizesAsTheFormatterSpellsThem() {
        SplittableRandom r = new SplittableRandom(9);
        for (long n : new long[] {0, 7, -7, 999, 1000, -1000, 999_999, 1_000_000, -1_234_567, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(String.format(Locale.ROOT, "%,d", n), Units.count(n));
        }
        for (int i = 0; i < 100_000; i++) {
            long n = r.nextLong() >> r.nextInt(64);
            assertEquals(String.format(Locale.ROOT, "%,d", n), Units.count(n));

            long nanos = r.nextLong(0, 120_000_000_000L) >> r.nextInt(0, 36);
            double s = (i % 2 == 0 ? 1 : -1) * (i % 5 == 0 ? r.nextDouble() * 100 : nanos / 1e9);
            assertEquals(formatterDuration(s), Units.duration(s), Double.toString(s));

            // dividing by 1024 is exact, so each unit's value is the count over its power of 1024
            int unit = r.nextInt(0, 5);
            long bytes = unit == 0 ? r.nextLong(0, 1024) : r.nextLong(1L << (10 * unit), unit == 4 ? Long.MAX_VALUE : 1L << (10 * unit + 10));
            String expected = unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", bytes / Math.pow(1024, unit),
                    new String[] {"KiB", "MiB", "GiB", "TiB"}[unit - 1]);
            assertEquals(expected, Units.bytes(bytes), Long.toString(bytes));
        }
    }

    /** What Texts.duration spelled with the formatter. */
    private static String formatterDuration(double seconds) {
        if (seconds < 0) {
            return "-" + formatterDuration(-seconds);
        }
        if (seconds < 0.001) {
            return String.format(Locale.ROOT, "%.0f µs", seconds * 1e6);
        }
        if (seconds < 1) {
            return String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        return Units.duration(seconds);
    }
}
