package dev.tcpautopsy.model;

/**
 * Per-direction counts of the segment analyses Wireshark flags as {@code tcp.analysis.*},
 * decided with its rules.
 */
public record AnalysisCounts(long retransmissions, long fastRetransmissions, long spuriousRetransmissions,
                             long outOfOrder, long lostSegments, long ackedUnseen, long duplicateAcks,
                             long zeroWindows, long zeroWindowProbes, long windowFull, long keepAlives,
                             long keepAliveAcks, long windowUpdates) {
    public static final AnalysisCounts NONE = new AnalysisCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Whether every count is 0 (as {@code equals(NONE)}, without the record's method handles). */
    public boolean isNone() {
        return (retransmissions | fastRetransmissions | spuriousRetransmissions | outOfOrder | lostSegments | ackedUnseen
                | duplicateAcks | zeroWindows | zeroWindowProbes | windowFull | keepAlives | keepAliveAcks
                | windowUpdates) == 0;
    }
}
