package dev.tcpautopsy.model;

/**
 * A well-known timer default that an inferred timer matches.
 *
 * @param product the product, e.g. {@code nginx}
 * @param setting its setting, e.g. {@code keepalive_timeout}
 * @param seconds the default, in seconds
 * @param source  where that default is documented (a URL)
 */
public record TimerMatch(String product, String setting, double seconds, String source) {
    /** {@code nginx keepalive_timeout}. */
    public String name() {
        return product + " " + setting;
    }
}
