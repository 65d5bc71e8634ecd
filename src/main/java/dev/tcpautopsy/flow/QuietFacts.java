package dev.tcpautopsy.flow;

/**
 * The quiet periods of a connection, of any length (the idle threshold plays no part): what the
 * findings read to infer the timers that close connections. Times are nanoseconds (-1 = none), frames
 * 1-based (0 = none).
 *
 * @param closeFrame         the connection's first FIN or RST
 * @param closeFromClient    whether the client sent it
 * @param closeDataIdle      from the last new data, either way, to that close; -1 when no data came before it
 * @param lastDataFromClient who sent that last data
 * @param runGap             the data-idle gap before the run of new data the last data belongs to (a run: one
 *                           side's data without a pause of {@link #RUN_BREAK_NANOS}), -1 when the run began
 *                           the connection's data
 * @param runAfterClient     who sent the data before that gap
 * @param lastIdle           the latest idle gap proper (spec: nothing outstanding, no zero window) of any length
 *                           that a segment ended whose sender was not waiting for an answer (the first of a run of
 *                           unanswered probes ends one; the probes after it do not)
 * @param lastIdleAfter      the frame before that gap
 * @param lastIdleBefore     the frame that ended it
 * @param longestReuse       the longest data-idle gap after the server's data that the client's new data ended
 *                           (the client used a quiet connection again)
 */
public record QuietFacts(long closeFrame, boolean closeFromClient, long closeDataIdle, boolean lastDataFromClient,
                        long runGap, boolean runAfterClient, long lastIdle, long lastIdleAfter, long lastIdleBefore,
                        long longestReuse) {
    /** A pause in one side's data that ends its run (a message is sent within it, a new one after it). */
    public static final long RUN_BREAK_NANOS = 200_000_000L;

    public static final QuietFacts NONE = new QuietFacts(0, false, -1, false, -1, false, -1, 0, 0, -1);
}
