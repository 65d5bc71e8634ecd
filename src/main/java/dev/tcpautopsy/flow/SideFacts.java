package dev.tcpautopsy.flow;

import dev.tcpautopsy.model.AnalysisCounts;

/**
 * What one endpoint of a finished connection sent (a draft of the classifier's needs: extend it).
 * Frames are 0 and values -1 when there was none.
 *
 * @param ttl               most common TTL / hop limit of this side's non-RST packets
 * @param synCount          SYNs (client) or SYN-ACKs (server) sent, retransmissions included
 * @param nextSeq           relative sequence just past the highest byte (SYN/FIN included) sent
 * @param highestAck        highest relative ack this side sent (into the peer's sequence space)
 * @param unackedAtEnd      bytes this side sent that the peer never acknowledged
 * @param bytesAfterPeerData payload this side sent after the peer's last data segment
 *                          (what the peer may not have read when it closed); payload carried by a
 *                          RST is no data here, nor in {@code dataSegments} and the data frames
 * @param lastWindow        last window this side advertised in a non-RST segment (scaled)
 * @param zeroWindowFrame   frame from which this side's advertised window stayed zero to the end
 * @param unansweredTail    retransmissions and keep-alive probes this side sent after the peer's
 *                          last segment (never answered)
 * @param unansweredGapsNanos gaps between those unanswered sends, oldest first (backoff shape)
 * @param zeroWindowNanos   time of {@code zeroWindowFrame}, -1 when none
 * @param ipIdPattern       how this side's IPv4 IDs moved: {@code incrementing}, {@code zero},
 *                          {@code constant}, {@code random}, or {@code none} (IPv6 / too few packets)
 * @param state             final endpoint state (Zeek-style: INACTIVE, SYN_SENT, SYN_ACK_SENT,
 *                          PARTIAL, ESTABLISHED, CLOSED, RESET)
 */
public record SideFacts(String ip, int port, long firstFrame, long firstNanos, long packets, long payloadBytes, long dataSegments,
                        int ttl, int ttlMin, int ttlMax, long isn, int windowScale, int mss,
                        int synCount, long firstSynFrame, long lastSynFrame, long firstSynNanos, long lastSynNanos,
                        long firstDataFrame, long lastDataFrame, long lastDataNanos,
                        long nextSeq, long highestAck, long highestAckFrame, long unackedAtEnd,
                        long bytesAfterPeerData,
                        long finFrame, long finNanos, long finSeq, boolean finAcked,
                        long rstFrame, long rstNanos, long rstSeq, boolean rstHasAck, long rstAck, int rstTtl,
                        int rstCount, long packetsAfterRst, long payloadAfterRst,
                        long lastFrame, long lastNanos, long lastWindow, long zeroWindowFrame, long zeroWindowNanos,
                        long zeroWindowProbes, long keepAlives, int unansweredTail, long[] unansweredGapsNanos,
                        String ipIdPattern, String state, AnalysisCounts analysis) {
}
