package dev.tcpautopsy.app;

/**
 * One application message as the report names it.
 *
 * @param frame the frame that carried the message's first byte (1-based, as Wireshark numbers it)
 * @param from  {@code client} or {@code server}
 * @param text  one line, bounded: never a body, never a header value outside the allow-list
 */
public record AppMessage(long frame, String from, String text) {
}
