package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.TerminationClass;

/**
 * Which flows of a capture keep their details (state transitions, last packets, header dumps): the
 * first {@code perClass} abnormal flows of each class in the order they are reported, or, when a
 * stream is named ({@code show}), that flow alone. Details are most of a report's bytes and of a
 * flow's memory, and people read them for a few flows of each kind, not for a million.
 */
final class DetailRule {
    private final long stream;
    private final int perClass;
    private final int[] kept = new int[TerminationClass.values().length];
    private int classesFull;

    DetailRule(long stream, int perClass) {
        this.stream = stream;
        this.perClass = perClass;
    }

    /** Whether the flow of {@code s} may still get details, its class not known yet. */
    boolean mayKeep(long s) {
        return stream >= 0 ? s == stream : classesFull < abnormalClasses();
    }

    /** Whether the flow of {@code s}, of class {@code cls}, keeps its details (counted when it does). */
    boolean keep(long s, TerminationClass cls) {
        if (stream >= 0) {
            return s == stream;
        }
        if (!cls.isAbnormal() || kept[cls.ordinal()] >= perClass) {
            return false;
        }
        if (++kept[cls.ordinal()] == perClass) {
            classesFull++;
        }
        return true;
    }

    private static int abnormalClasses() {
        int n = 0;
        for (TerminationClass c : TerminationClass.values()) {
            n += c.isAbnormal() ? 1 : 0;
        }
        return n;
    }
}
