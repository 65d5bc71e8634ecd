package dev.tcpautopsy.report;

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
            assertEquals(String.format(Locale.ROOT, "%." + places + "f", v), Texts.fixed(v, places), v + " " + places);
        }
    }
}
