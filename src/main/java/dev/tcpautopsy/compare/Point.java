package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.Comparison;

import java.util.List;

/**
 * One capture point: its connections (each with its segments) and what its capture was.
 *
 * @param label {@code A} or {@code B}
 * @param first time of its first record, nanoseconds ({@link Long#MAX_VALUE} when none)
 * @param last  time of its last record ({@link Long#MIN_VALUE} when none)
 */
record Point(String label, Comparison.Point info, List<Conn> conns, long first, long last) {

    boolean covers(long tNanos, long margin) {
        return tNanos >= first + margin && tNanos <= last - margin;
    }
}
