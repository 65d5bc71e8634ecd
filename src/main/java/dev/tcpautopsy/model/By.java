package dev.tcpautopsy.model;

import java.util.Locale;

/** Who caused an ending ({@code termination.by}); serialized in lower case. */
public enum By {
    CLIENT, SERVER, MIDDLEBOX, UNKNOWN;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The contract's spelling: {@code client}, {@code server}, {@code middlebox}, {@code unknown}. */
    public String wire() {
        return wire;
    }
}
