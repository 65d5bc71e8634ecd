package dev.tcpautopsy.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/** A {@code --format} list: names of an enum's formats in lower case, or {@code all}. */
final class FormatList {
    private FormatList() {
    }

    /**
     * The formats named, in the enum's order; a usage error naming an unknown one.
     *
     * @param alias    the name a lower-case name stands for (itself, mostly)
     * @param expected the names the error lists
     */
    static <E extends Enum<E>> Set<E> parse(List<String> given, Class<E> type, UnaryOperator<String> alias,
                                            CommandLine command, String expected) {
        Set<E> set = EnumSet.noneOf(type);
        for (String f : given) {
            String v = alias.apply(f.trim().toLowerCase(Locale.ROOT));
            if (v.equals("all")) {
                set.addAll(EnumSet.allOf(type));
                continue;
            }
            try {
                set.add(Enum.valueOf(type, v.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command,
                        "Unknown format '" + f + "' for --format (expected: " + expected + ")");
            }
        }
        return set;
    }
}
