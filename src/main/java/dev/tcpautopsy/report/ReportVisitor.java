package dev.tcpautopsy.report;

import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.FlowRecord;

import java.io.IOException;

/**
 * One format being written, fed by a {@link ReportWriter}. Calling order: for each capture of the report,
 * {@link #startCapture}, then its flows in stream order ({@link #flow}, for as long as it wants more),
 * then {@link #endCapture}; then {@link #end} once; {@link #close} always, last, also after a failure.
 * The flows it is handed are views of their encoded form, shared with the other formats and reused for the
 * next flow: read what the format shows before returning, take {@link FlowRecord#flow} for objects, and
 * keep nothing beyond what the format shows (the whole set may be far larger than memory).
 */
public interface ReportVisitor {

    /** @return whether any flow of this capture is wanted (none is read when no format wants them) */
    default boolean startCapture(CaptureReport capture) throws IOException {
        return true;
    }

    /**
     * One flow of the current capture.
     *
     * @return whether more flows of this capture are wanted; once it says no, it gets no more of them
     */
    default boolean flow(FlowRecord flow) throws IOException {
        return false;
    }

    default void endCapture(CaptureReport capture) throws IOException {
    }

    /** Writes what follows the last capture and finishes the output. */
    void end() throws IOException;

    /** Releases the outputs, finished or not; called once, after {@link #end} or after a failure. */
    default void close() throws IOException {
    }
}
