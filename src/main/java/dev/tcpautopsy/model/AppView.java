package dev.tcpautopsy.model;

/**
 * What each application most likely saw: an errno name such as {@code ECONNRESET},
 * {@code EPIPE}, {@code ETIMEDOUT}, {@code ECONNREFUSED}, {@code EOF}, or {@code none}.
 */
public record AppView(String client, String server) {
}
