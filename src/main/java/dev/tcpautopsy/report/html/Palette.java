package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.TerminationClass;

/**
 * Colours of the report: one per class (greens for orderly endings, greys for undecided, warm
 * colours for resets, reds for the middlebox classes) and one per {@code by}. Chosen to stay
 * distinguishable when printed in greyscale by their lightness, and labelled everywhere anyway.
 */
final class Palette {
    private Palette() {
    }

    static String of(TerminationClass c) {
        return switch (c) {
            case REFUSED -> "#a16207";
            case HANDSHAKE_TIMEOUT -> "#eab308";
            case IDLE_TIMEOUT -> "#7c3aed";
            case MIDDLEBOX_RST -> "#dc2626";
            case MIDDLEBOX_DROP -> "#7f1d1d";
            case ZERO_WINDOW_STALL -> "#0891b2";
            case RST_AFTER_CLOSE -> "#db2777";
            case RST_UNREAD_DATA -> "#ea580c";
            case RST_ABORT -> "#f59e0b";
            case FIN_ORDERLY -> "#16a34a";
            case OPEN_AT_END -> "#94a3b8";
            case UNCLASSIFIED -> "#475569";
        };
    }

    static String of(By by) {
        return switch (by) {
            case CLIENT -> "#2563eb";
            case SERVER -> "#9333ea";
            case MIDDLEBOX -> "#dc2626";
            case UNKNOWN -> "#9ca3af";
        };
    }
}
