package dev.tcpautopsy.serve;

import java.util.Locale;

/** Where an analysis is: waiting for a worker, being analyzed, finished, or given up with a reason. */
enum State {
    QUEUED, RUNNING, DONE, FAILED;

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static State of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    boolean terminal() {
        return this == DONE || this == FAILED;
    }
}
