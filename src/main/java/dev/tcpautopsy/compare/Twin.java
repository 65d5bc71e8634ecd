package dev.tcpautopsy.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * A connection seen at both points: A's and B's, how B's directions and sequence numbers map onto A's,
 * and the segments of each direction at each point, directions always named as A names them.
 */
final class Twin {
    final Conn a, b;
    /** B's client is A's server (one point saw no handshake and named the ends the other way). */
    final boolean flipped;
    /** B's sequence numbers minus A's, for A's client-to-server and server-to-client directions. */
    final int deltaC2S, deltaS2C;
    /** Index 0: client to server, 1: server to client (A's names); segments in frame order. */
    final List<List<Seg>> atA = List.of(new ArrayList<>(), new ArrayList<>());
    final List<List<Seg>> atB = List.of(new ArrayList<>(), new ArrayList<>());
    /** Whether the client is on A's side: its segments pass A first. */
    Side clientSide = Side.UNKNOWN;

    enum Side { A, B, UNKNOWN }

    Twin(Conn a, Conn b, boolean flipped, int deltaC2S, int deltaS2C) {
        this.a = a;
        this.b = b;
        this.flipped = flipped;
        this.deltaC2S = deltaC2S;
        this.deltaS2C = deltaS2C;
        for (Seg s : a.segs) {
            atA.get(s.fromClient ? 0 : 1).add(s);
        }
        for (Seg s : b.segs) {
            atB.get(s.fromClient != flipped ? 0 : 1).add(s);
        }
    }

    /** Whether segments of direction {@code dir} (0 client to server) pass A before B. */
    boolean aFirst(int dir) {
        return (dir == 0) == (clientSide != Side.B);
    }

    /** A segment seen at B, its sequence number in A's space. */
    int seqInA(Seg s, int dir) {
        return s.seq - (dir == 0 ? deltaC2S : deltaS2C);
    }

    /** A segment seen at B, its acknowledgement number in A's space (it acknowledges the other direction). */
    int ackInA(Seg s, int dir) {
        return s.ack - (dir == 0 ? deltaS2C : deltaC2S);
    }
}
