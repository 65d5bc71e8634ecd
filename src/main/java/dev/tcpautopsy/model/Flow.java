package dev.tcpautopsy.model;

import java.time.Instant;
import java.util.List;

/**
 * One TCP connection and its verdict: a {@code flows[]} element of the JSON contract.
 *
 * @param stream            Wireshark's {@code tcp.stream} index (0-based, first-seen order)
 * @param handshakeRttMicros SYN to ACK-of-SYN-ACK time as seen at the capture point, -1 when unknown
 * @param longestIdle       the longest idle gap, or {@code null} when there was none
 * @param history           Zeek-style history letters (upper case: client, lower case: server)
 * @param transitions       endpoint state transitions in order
 * @param lastPackets       the last few packets before the end, oldest first
 * @param app               what the applications said ({@code flows[].app}), {@code null} when nothing was decoded
 */
public record Flow(long stream, Endpoint client, Endpoint server, long firstFrame, long lastFrame,
                   Instant start, Instant end, boolean handshakeSeen, boolean halfClosed,
                   Termination termination, DirectionStats fromClient, DirectionStats fromServer,
                   long handshakeRttMicros, IdleGap longestIdle, String history,
                   List<StateChange> transitions, List<PacketLine> lastPackets, AppContext app) {
    public Flow {
        transitions = List.copyOf(transitions);
        lastPackets = List.copyOf(lastPackets);
    }

    /** A flow without application context. */
    public Flow(long stream, Endpoint client, Endpoint server, long firstFrame, long lastFrame, Instant start,
                Instant end, boolean handshakeSeen, boolean halfClosed, Termination termination,
                DirectionStats fromClient, DirectionStats fromServer, long handshakeRttMicros, IdleGap longestIdle,
                String history, List<StateChange> transitions, List<PacketLine> lastPackets) {
        this(stream, client, server, firstFrame, lastFrame, start, end, handshakeSeen, halfClosed, termination,
                fromClient, fromServer, handshakeRttMicros, longestIdle, history, transitions, lastPackets, null);
    }

    /** This flow with another verdict (what was learned of it after it was judged). */
    public Flow withTermination(Termination t) {
        return new Flow(stream, client, server, firstFrame, lastFrame, start, end, handshakeSeen, halfClosed, t, fromClient,
                fromServer, handshakeRttMicros, longestIdle, history, transitions, lastPackets, app);
    }

    /** Seconds from the first to the last frame. */
    public double durationSeconds() {
        return (end.getEpochSecond() - start.getEpochSecond()) + (end.getNano() - start.getNano()) / 1e9;
    }
}
