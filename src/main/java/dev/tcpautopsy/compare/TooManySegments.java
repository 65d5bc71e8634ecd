package dev.tcpautopsy.compare;

/** A capture point holds more segments than {@code compare} keeps in memory; the message says what to do. */
public final class TooManySegments extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooManySegments(String message) {
        super(message);
    }
}
