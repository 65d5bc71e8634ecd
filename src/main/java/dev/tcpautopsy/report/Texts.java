package dev.tcpautopsy.report;

import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.TerminationClass;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
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
        int nanos = t.getNano();
        String frac = nanos % 1000 == 0 ? String.format(Locale.ROOT, "%06d", nanos / 1000)
                : String.format(Locale.ROOT, "%09d", nanos);
        return SECONDS.format(t) + "." + frac + "Z";
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

    /** A duration for people: {@code 120 µs}, {@code 850 ms}, {@code 12.4 s}, {@code 3 min 20 s}, {@code 2 h 5 min}. */
    public static String duration(double seconds) {
        if (seconds < 0) {
            return "-" + duration(-seconds);
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
        long s = Math.round(seconds);
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /** A duration as {@code --idle-threshold} spells it: {@code 30s}, {@code 5m}, {@code 500ms}. */
    public static String threshold(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** Byte counts for people: {@code 512 B}, {@code 1.5 MiB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Thousands separated by a thin space-free comma: {@code 1,234,567}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
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
