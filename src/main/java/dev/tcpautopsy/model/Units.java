package dev.tcpautopsy.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/**
 * How quantities are spelled, in one place for every layer: the reasons' style ({@link #secs}, {@link
 * #byteCount}, {@link #times}), the reports' ({@link #duration}, {@link #bytes}, {@link #count}) and the
 * options' ({@link #threshold}, {@link #size}). Pure formatting of a value.
 */
public final class Units {
    private Units() {
    }

    /** {@code 3.2 s}, {@code 0.21 s}, {@code 45 ms}, {@code 140 us}. */
    public static String secs(long nanos) {
        if (nanos < 1_000_000L) {
            return Math.round(nanos / 1e3) + " us";
        }
        if (nanos < 100_000_000L) {
            return Math.round(nanos / 1e6) + " ms";
        }
        return secsBare(nanos) + " s";
    }

    /** Seconds without unit: two decimals below 10 s, one below 100 s, none above. */
    public static String secsBare(long nanos) {
        double s = nanos / 1e9;
        int places = s < 10 ? 2 : s < 100 ? 1 : 0;
        String fast = halfUp(nanos, places);
        if (fast != null) {
            return fast;
        }
        return String.format(Locale.ROOT, places == 2 ? "%.2f" : places == 1 ? "%.1f" : "%.0f", s);
    }

    /**
     * {@code nanos / 1e9} rounded half up to {@code places} decimals in integer arithmetic, or null
     * where that might differ from {@code String.format}: the formatter rounds the shortest decimal of
     * the double, which lies within 2^-52 of it, so only an exact tie (or a negative or huge value)
     * could round differently; those go to the formatter.
     */
    static String halfUp(long nanos, int places) {
        long unit = places == 2 ? 10_000_000L : places == 1 ? 100_000_000L : 1_000_000_000L;
        if (nanos < 0 || nanos >= 1_000_000_000_000_000L || nanos % unit == unit / 2) {
            return null;
        }
        long q = (nanos + unit / 2) / unit;
        if (places == 0) {
            return Long.toString(q);
        }
        long scale = places == 2 ? 100 : 10;
        long frac = q % scale;
        return q / scale + (places == 2 && frac < 10 ? ".0" : ".") + frac;
    }

    /** {@code 1 byte}, {@code 312 bytes}. */
    public static String byteCount(long n) {
        return n == 1 ? "1 byte" : n + " bytes";
    }

    /** {@code 1 time}, {@code 5 times}. */
    public static String times(long n) {
        return n == 1 ? "once" : n == 2 ? "twice" : n + " times";
    }

    /**
     * {@code String.format(Locale.ROOT, "%.<places>f", v)} (places 0 to 9) without the formatter when
     * {@code v} is a whole number of nanoseconds divided by 1e9, as the model's seconds are: the
     * formatter rounds half up the shortest decimal of the double, which lies within 2^-52 of it,
     * so below 10^6 and away from an exact tie the integer rounding gives the same digits. Other
     * positive values below 10^15 go through that shortest decimal ({@code Double.toString}) rounded
     * half up by {@code BigDecimal}, which is what the formatter does, in a sixth of its time (chart
     * coordinates); negative ones, where the formatter keeps a minus sign on a zero, go to it.
     */
    public static String fixed(double v, int places) {
        long n = Math.round(v * 1e9);
        long unit = 1;
        for (int i = places; i < 9; i++) {
            unit *= 10;
        }
        // the sign bit, not n < 0: -0.0 is spelled "-0" by the formatter
        boolean negative = Double.doubleToRawLongBits(v) < 0;
        if (places < 0 || places > 9 || negative || n >= 1_000_000_000_000_000L || n / 1e9 != v
                || (unit > 1 && n % unit == unit / 2)) {
            if (!negative && places >= 0 && places <= 9 && v < 1e15) {
                return new BigDecimal(Double.toString(v)).setScale(places, RoundingMode.HALF_UP).toPlainString();
            }
            return String.format(Locale.ROOT, "%." + places + "f", v);
        }
        long q = (n + unit / 2) / unit;
        if (places == 0) {
            return Long.toString(q);
        }
        long scale = 1_000_000_000L / unit;
        String frac = Long.toString(q % scale);
        StringBuilder sb = new StringBuilder(24).append(q / scale).append('.');
        for (int i = frac.length(); i < places; i++) {
            sb.append('0');
        }
        return sb.append(frac).toString();
    }

    /** A duration for people: {@code 120 µs}, {@code 850 ms}, {@code 12.4 s}, {@code 3 min 20 s}, {@code 2 h 5 min}. */
    public static String duration(double seconds) {
        if (seconds < 0) {
            return "-" + duration(-seconds);
        }
        // fixed() rather than the formatter: the same digits, and an HTML report spells thousands
        if (seconds < 0.001) {
            return fixed(seconds * 1e6, 0) + " µs";
        }
        if (seconds < 1) {
            return fixed(seconds * 1000, 0) + " ms";
        }
        if (seconds < 60) {
            return fixed(seconds, 1) + " s";
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
        return fixed(v, 1) + " " + units[u];
    }

    /**
     * A size as the service's options and messages spell it: {@code 512 bytes}, {@code 1.5 MiB}, {@code 2 GiB}
     * (a whole number of the unit without decimals, binary units up to PiB).
     */
    public static String size(long n) {
        if (n < 1024) {
            return byteCount(n);
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? Long.toString((long) v) : fixed(v, 1)) + " " + units[u];
    }

    /**
     * Thousands separated by commas: {@code 1,234,567}, as {@code String.format(Locale.ROOT, "%,d", n)}
     * spells it, without the formatter (an HTML report spells thousands of counts).
     */
    public static String count(long n) {
        String digits = Long.toString(n);
        int sign = n < 0 ? 1 : 0;
        int len = digits.length() - sign;
        if (len <= 3) {
            return digits;
        }
        StringBuilder sb = new StringBuilder(digits.length() + (len - 1) / 3);
        sb.append(digits, 0, sign);
        int first = len % 3 == 0 ? 3 : len % 3;
        sb.append(digits, sign, sign + first);
        for (int i = sign + first; i < digits.length(); i += 3) {
            sb.append(',').append(digits, i, i + 3);
        }
        return sb.toString();
    }
}
