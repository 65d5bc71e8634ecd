package dev.tcpautopsy.model;

/** The longest idle gap of a connection: between frame {@code afterFrame} and frame {@code beforeFrame}. */
public record IdleGap(double seconds, long afterFrame, long beforeFrame) {
}
