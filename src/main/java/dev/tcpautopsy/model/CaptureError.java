package dev.tcpautopsy.model;

/**
 * Why (part of) a capture could not be read: {@code message} is the one line printed for it,
 * naming the file, the byte offset and what was expected; {@code offset} is -1 when the problem
 * has no position (a missing file, say).
 */
public record CaptureError(String message, long offset) {
}
