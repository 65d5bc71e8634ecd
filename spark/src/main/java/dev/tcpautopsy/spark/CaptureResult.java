package dev.tcpautopsy.spark;

import java.io.Serializable;

/**
 * What an executor hands the driver for one series, beside its flows: its summary, its report
 * without flows (for the overview page) and the seconds its analysis took.
 */
record CaptureResult(int index, CaptureSummary summary, byte[] report, double seconds) implements Serializable {

    /** Short: Spark's UI keeps the text of every task's accumulator updates. */
    @Override
    public String toString() {
        return "capture " + index;
    }
}
