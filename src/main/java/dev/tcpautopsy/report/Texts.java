package dev.tcpautopsy.report;

import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.TerminationClass;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Presentation shared by the formats: how times, durations and verdicts are spelled. Pure
 * formatting of model values; nothing here looks at more than the value it is given.
 */
public final class Texts {
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Texts() {
    }

    /**
     * ISO-8601 UTC with microseconds, or nanoseconds when the capture had them
     * ({@code 2026-11-24T17:38:58.123456Z}); {@code null} stays {@code null}.
     */
    public static String instant(Instant t) {
        if (t == null) {
            return null;
        }
        long sec = t.getEpochSecond();
        int nanos = t.getNano();
        if (sec < FAST_FIRST || sec >= FAST_END) {
            String frac = nanos % 1000 == 0 ? String.format(Locale.ROOT, "%06d", nanos / 1000)
                    : String.format(Locale.ROOT, "%09d", nanos);
            return SECONDS.format(t) + "." + frac + "Z";
        }
        byte[] b = new byte[INSTANT_MAX];
        return new String(b, 0, instant(t, b, 0), StandardCharsets.ISO_8859_1);
    }

    /** The most bytes {@link #instant(Instant, byte[], int)} writes. */
    public static final int INSTANT_MAX = 30;

    /** Whether {@link #instant(Instant, byte[], int)} spells {@code t} (years 1000 to 9999). */
    public static boolean spellsDirectly(Instant t) {
        return spellsDirectly(t.getEpochSecond());
    }

    /** Whether {@link #instant(long, int, byte[], int)} spells an instant of this epoch second. */
    public static boolean spellsDirectly(long epochSecond) {
        return epochSecond >= FAST_FIRST && epochSecond < FAST_END;
    }

    /**
     * Writes {@link #instant(Instant)}'s text of {@code t} as ASCII at {@code b[at]}, which has room for
     * {@link #INSTANT_MAX} bytes, and returns the index after it; {@code t} is one that
     * {@link #spellsDirectly} spells. The reports write them without a String between.
     */
    public static int instant(Instant t, byte[] b, int at) {
        return instant(t.getEpochSecond(), t.getNano(), b, at);
    }

    /** {@link #instant(Instant, byte[], int)} of the instant {@code sec} seconds and {@code nanos} after the epoch. */
    public static int instant(long sec, int nanos, byte[] b, int at) {
        if (sec < FAST_FIRST || sec >= FAST_END) {
            throw new IllegalArgumentException("not spelled directly: " + Instant.ofEpochSecond(sec, nanos));
        }
        // a report spells hundreds of thousands of times: digits by hand, the date of the day cached
        boolean micros = nanos % 1000 == 0;
        long day = Math.floorDiv(sec, 86_400L);
        DayText d = lastDay;
        if (d.day != day) {
            d = new DayText(day, LocalDate.ofEpochDay(day).toString().getBytes(StandardCharsets.US_ASCII));
            lastDay = d;
        }
        System.arraycopy(d.text, 0, b, at, 10);
        int s = (int) (sec - day * 86_400L);
        b[at + 10] = 'T';
        two(b, at + 11, s / 3600);
        b[at + 13] = ':';
        two(b, at + 14, s / 60 % 60);
        b[at + 16] = ':';
        two(b, at + 17, s % 60);
        b[at + 19] = '.';
        int end = at + (micros ? 26 : 29);
        Decimal.fixed(b, end, micros ? nanos / 1000 : nanos, micros ? 6 : 9);
        b[end] = 'Z';
        return end + 1;
    }

    /** Years 1000 to 9999 have four digits and no sign: the fast path of {@link #instant}. */
    private static final long FAST_FIRST = -30_610_224_000L, FAST_END = 253_402_300_800L;

    private record DayText(long day, byte[] text) {
    }

    /** The day last spelled (a benign race between threads: each sees a whole record). */
    private static volatile DayText lastDay = new DayText(Long.MIN_VALUE, new byte[0]);

    private static void two(byte[] b, int at, int v) {
        Decimal.two(b, at, v);
    }

    /** Seconds between two instants, negative when {@code b} is before {@code a}. */
    public static double seconds(Instant a, Instant b) {
        return (b.getEpochSecond() - a.getEpochSecond()) + (b.getNano() - a.getNano()) / 1e9;
    }

    /**
     * Seconds between two instants exactly, with 6 decimals, or 9 when either instant has
     * sub-microsecond digits: {@code 4.879545}.
     */
    public static BigDecimal exactSeconds(Instant a, Instant b) {
        Duration d = Duration.between(a, b);
        BigDecimal s = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
        boolean nanos = a.getNano() % 1000 != 0 || b.getNano() % 1000 != 0;
        return s.setScale(nanos ? 9 : 6, RoundingMode.UNNECESSARY);
    }

    /**
     * {@link #exactSeconds} as plain text ({@code 4.879545}), without the {@link BigDecimal}; with
     * {@code strip}, trailing zeros go ({@code 4.8795}, {@code 5}), as {@code stripTrailingZeros} does.
     */
    public static String exactSecondsText(Instant a, Instant b, boolean strip) {
        if (!exactSecondsDirectly(a.getEpochSecond(), b.getEpochSecond())) {
            BigDecimal x = exactSeconds(a, b);
            return (strip ? x.stripTrailingZeros() : x).toPlainString();
        }
        byte[] text = new byte[EXACT_MAX];
        int n = exactSeconds(a.getEpochSecond(), a.getNano(), b.getEpochSecond(), b.getNano(), strip, text, 0);
        return new String(text, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** The most bytes {@link #exactSeconds(long, int, long, int, boolean, byte[], int)} writes. */
    public static final int EXACT_MAX = 32;

    /** Whether {@link #exactSeconds(long, int, long, int, boolean, byte[], int)} spells the span between these seconds. */
    public static boolean exactSecondsDirectly(long aSecond, long bSecond) {
        return Math.abs(bSecond - aSecond) <= 1_000_000_000_000L;
    }

    /**
     * Writes {@link #exactSecondsText}'s text of the span from instant a to instant b (epoch seconds and
     * nanoseconds) at {@code out[at]}, which has room for {@link #EXACT_MAX} bytes, and returns the index
     * after it; the span is one that {@link #exactSecondsDirectly} spells.
     */
    public static int exactSeconds(long aSecond, int aNano, long bSecond, int bNano, boolean strip, byte[] out, int at) {
        long total = (bSecond - aSecond) * 1_000_000_000L + (bNano - aNano);
        boolean nanos = aNano % 1000 != 0 || bNano % 1000 != 0;
        long abs = Math.abs(total);
        long whole = abs / 1_000_000_000L;
        long frac = abs % 1_000_000_000L;
        int places = 9;
        if (!nanos) {
            frac /= 1000;
            places = 6;
        }
        if (strip) {
            while (places > 0 && frac % 10 == 0) {
                frac /= 10;
                places--;
            }
        }
        int p = at;
        if (total < 0) {
            out[p++] = '-';
        }
        p = Decimal.put(out, p, whole);
        if (places > 0) {
            out[p++] = '.';
            Decimal.fixed(out, p + places, (int) frac, places);
            p += places;
        }
        return p;
    }

    /**
     * The verdict as one plain sentence, e.g. "The server reset the connection while data it had
     * received was still unread." It names the class and who; the classifier's reason adds the why.
     */
    public static String verdict(Flow f) {
        TerminationClass c = f.termination().cls();
        String who = who(f.termination().by());
        return switch (c) {
            case REFUSED -> "The connection was refused: the SYN was answered by a RST from " + who + ".";
            case HANDSHAKE_TIMEOUT -> "The handshake timed out: the SYN (or SYN-ACK) was never answered"
                    + (f.termination().by() == By.UNKNOWN ? "." : ", blamed on " + who + ".");
            case IDLE_TIMEOUT -> "The connection was closed by " + who + " after sitting idle.";
            case MIDDLEBOX_RST -> "A device in the path injected a RST that neither endpoint sent.";
            case MIDDLEBOX_DROP -> "The connection was blackholed: one side kept sending and was never answered again.";
            case ZERO_WINDOW_STALL -> "The connection stalled: " + who + " stopped reading and held a zero window until the end.";
            case RST_AFTER_CLOSE -> capital(who) + " reset the connection after closing it, because the peer kept writing.";
            case RST_UNREAD_DATA -> capital(who) + " reset the connection while data it had received was still unread.";
            case RST_ABORT -> capital(who) + " aborted the connection with a RST.";
            case FIN_ORDERLY -> "The connection closed normally" + (f.termination().by() == By.UNKNOWN
                    ? " (both sides closed at once)." : ", first closed by " + who + ".");
            case OPEN_AT_END -> "The connection was still open when the capture ended"
                    + (f.halfClosed() ? " (closed in one direction only)." : ".");
            case UNCLASSIFIED -> "The ending could not be classified.";
        };
    }

    /** {@code the client}, {@code the server}, {@code a middlebox}, {@code an unknown party}. */
    public static String who(By by) {
        return switch (by) {
            case CLIENT -> "the client";
            case SERVER -> "the server";
            case MIDDLEBOX -> "a middlebox";
            case UNKNOWN -> "an unknown party";
        };
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
