package dev.tcpautopsy.model;

/**
 * What one endpoint sent. Frame numbers are 0 when there was none; {@code isn}, {@code mss},
 * {@code windowScale} and {@code ttl} are -1 when unknown.
 *
 * @param ttl      the IP TTL / hop limit this endpoint's packets arrived with (the most common value)
 * @param state    the endpoint's final state, in the manner of Zeek's endpoint states
 *                 ({@code INACTIVE}, {@code SYN_SENT}, {@code SYN_ACK_SENT}, {@code PARTIAL},
 *                 {@code ESTABLISHED}, {@code CLOSED}, {@code RESET})
 */
public record DirectionStats(long packets, long payloadBytes, long isn, int mss, int windowScale, int ttl,
                             String state, long finFrame, long rstFrame, AnalysisCounts analysis) {
}
