package dev.tcpautopsy.model;

import java.time.Instant;

/** One endpoint's state transition, at the frame that caused it. {@code side} is client or server. */
public record StateChange(long frame, Instant time, String side, String from, String to) {
}
