package dev.tcpautopsy.flow;

/**
 * Tracks one connection's {@link QuietFacts}: pooled with its {@link Connection}, so only fields, no
 * allocation until the facts are built.
 */
final class Quiet {
    private long closeFrame;
    private boolean closeFromClient;
    private long closeDataIdle;
    private boolean closeLastDataFromClient;
    private long closeRunGap;
    private boolean closeRunAfterClient;

    /** Who sent the last new data; the gap before the current run of it and who sent the data before that gap. */
    private boolean lastDataFromClient;
    private long runGap;
    private boolean runAfterClient;

    private long lastIdle, lastIdleAfter, lastIdleBefore;
    private long longestReuse;

    void clear() {
        closeFrame = 0;
        closeFromClient = closeLastDataFromClient = closeRunAfterClient = false;
        closeDataIdle = closeRunGap = -1;
        lastDataFromClient = runAfterClient = false;
        runGap = -1;
        lastIdle = -1;
        lastIdleAfter = lastIdleBefore = 0;
        longestReuse = -1;
    }

    /**
     * New data from one side, {@code gap} after the previous new data (-1 when it is the first).
     * A run goes on while the same side sends without pausing for {@link QuietFacts#RUN_BREAK_NANOS}.
     */
    void data(boolean fromClient, long gap) {
        if (gap < 0) {
            runGap = -1;
        } else {
            if (fromClient != lastDataFromClient || gap >= QuietFacts.RUN_BREAK_NANOS) {
                runGap = gap;
                runAfterClient = lastDataFromClient;
            }
            if (fromClient && !lastDataFromClient && gap > longestReuse) {
                longestReuse = gap;
            }
        }
        lastDataFromClient = fromClient;
    }

    /** A FIN or RST, {@code sinceData} after the last new data (-1 when none came before it): the first one counts. */
    void close(long frame, boolean fromClient, long sinceData) {
        if (closeFrame != 0) {
            return;
        }
        closeFrame = frame;
        closeFromClient = fromClient;
        closeDataIdle = sinceData;
        if (sinceData >= 0) {
            closeLastDataFromClient = lastDataFromClient;
            closeRunGap = runGap;
            closeRunAfterClient = runAfterClient;
        }
    }

    /** The connection outlived its first close (a RST it survived): the next one counts. */
    void reopen() {
        closeFrame = 0;
    }

    /** An idle gap proper ended by a segment whose sender was not waiting for an answer. */
    void idle(long gap, long after, long before) {
        lastIdle = gap;
        lastIdleAfter = after;
        lastIdleBefore = before;
    }

    QuietFacts facts() {
        return new QuietFacts(closeFrame, closeFromClient, closeDataIdle, closeLastDataFromClient, closeRunGap,
                closeRunAfterClient, lastIdle, lastIdleAfter, lastIdleBefore, longestReuse);
    }
}
