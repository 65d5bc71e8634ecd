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
}
