package dev.tcpautopsy.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 5m}, {@code 2h}, or ISO {@code PT30S}. */
public final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)");

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        Duration d;
        if (m.matches()) {
            BigDecimal n = new BigDecimal(m.group(1));
            long millisPerUnit = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m", "min" -> 60_000;
                default -> 3_600_000;
            };
            d = Duration.ofMillis(n.multiply(BigDecimal.valueOf(millisPerUnit)).longValue());
        } else if (v.startsWith("pt")) {
            try {
                d = Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw invalid(value);
            }
        } else {
            throw invalid(value);
        }
        if (d.isZero() || d.isNegative()) {
            throw new TypeConversionException("'" + value + "' is not a positive duration");
        }
        return d;
    }

    private static TypeConversionException invalid(String value) {
        return new TypeConversionException("'" + value + "' is not a duration (expected e.g. 500ms, 30s, 5m, 2h)");
    }
}
