package dev.tcpautopsy.report;

import dev.tcpautopsy.model.FlowRecord;

import java.io.IOException;

/**
 * A format whose flows can be formatted on other threads, a chunk of consecutive flows at a time, and
 * written in their order: the bytes are those its {@link ReportVisitor#flow} would write for them one by
 * one. With processors to spare once the analysis is done, {@link ReportWriter} formats the chunks of
 * report.json and flows.csv side by side, the formats' own threads only writing them out.
 */
public interface FlowChunks {
    /** Whether this visitor formats chunks (some of its modes may not); if not, it takes flows one by one. */
    boolean chunked();

    /** A formatter for one more thread, of the flows of the capture under way. */
    Formatter formatter();

    /** Writes a chunk made by a formatter: the next flows of the capture; {@code first}: they begin its flows. */
    void write(byte[] chunk, boolean first) throws IOException;

    /** Formats flows into one chunk at a time; used by one thread. */
    interface Formatter {
        /** Formats the next flow of the chunk being made. */
        void add(FlowRecord f) throws IOException;

        /** The chunk's bytes; the next flow begins another chunk. */
        byte[] chunk() throws IOException;
    }
}
