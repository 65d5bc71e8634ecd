package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.Addresses;
import dev.tcpautopsy.decode.TcpSegment;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds synthetic segments of one conversation for tests: a client and a server, each with its own
 * sequence counter, and a clock. {@code c()} and {@code s()} start a segment from the client or the
 * server; the builder methods set flags, payload and window; {@link #feed} hands them to a tracker.
 */
final class Segments {
    static final int CLIENT_IP = 0xC612_0002, SERVER_IP = 0xC612_0102; // 198.18.0.2, 198.18.1.2

    final List<TcpSegment> all = new ArrayList<>();
    long clientSeq, serverSeq;
    int clientPort = 41000, serverPort = 8080;
    long now = 1_700_000_000_000_000_000L;
    long frame;
    int ttlClient = 64, ttlServer = 63;
    private TcpSegment cur;

    Segments(long clientIsn, long serverIsn) {
        clientSeq = clientIsn & 0xFFFF_FFFFL;
        serverSeq = serverIsn & 0xFFFF_FFFFL;
    }

    /** A segment from the client, {@code gapMillis} after the previous one, acking the server's next byte. */
    Segments c(long gapMillis) {
        return seg(true, gapMillis);
    }

    Segments s(long gapMillis) {
        return seg(false, gapMillis);
    }

    private Segments seg(boolean fromClient, long gapMillis) {
        now += gapMillis * 1_000_000L;
        TcpSegment t = new TcpSegment();
        t.clearOptions();
        t.frame = ++frame;
        t.tsNanos = now;
        t.ipVersion = 4;
        long cl = Addresses.v4Lo(CLIENT_IP), sv = Addresses.v4Lo(SERVER_IP);
        t.srcLo = fromClient ? cl : sv;
        t.dstLo = fromClient ? sv : cl;
        t.srcPort = fromClient ? clientPort : serverPort;
        t.dstPort = fromClient ? serverPort : clientPort;
        t.seq = fromClient ? clientSeq : serverSeq;
        t.ack = fromClient ? serverSeq : clientSeq;
        t.flags = TcpSegment.ACK;
        t.window = 1000;
        t.ttl = fromClient ? ttlClient : ttlServer;
        t.ipId = -1;
        all.add(t);
        cur = t;
        return this;
    }

    Segments flags(int f) {
        cur.flags = f;
        if ((f & TcpSegment.ACK) == 0) {
            cur.ack = 0;
        }
        advance();
        return this;
    }

    Segments data(int len) {
        cur.payloadLen = len;
        advance();
        return this;
    }

    Segments win(int w) {
        cur.window = w;
        return this;
    }

    Segments wscale(int shift) {
        cur.windowScale = shift;
        return this;
    }

    /** Sets this segment's seq (a retransmission or probe); call before {@code flags} and {@code data}. */
    Segments seqAt(long seq) {
        cur.seq = seq & 0xFFFF_FFFFL;
        return this;
    }

    /** Sets the client's (or the server's) next sequence number: after a segment out of its own space. */
    Segments nextSeq(boolean client, long seq) {
        if (client) {
            clientSeq = seq & 0xFFFF_FFFFL;
        } else {
            serverSeq = seq & 0xFFFF_FFFFL;
        }
        return this;
    }

    Segments ackAt(long ack) {
        cur.ack = ack & 0xFFFF_FFFFL;
        return this;
    }

    Segments ttl(int ttl) {
        cur.ttl = ttl;
        return this;
    }

    /** Sets the sender's next sequence number to just past this segment (after any edit of seq, flags, data). */
    private void advance() {
        boolean fromClient = cur.srcPort == clientPort && cur.srcLo == Addresses.v4Lo(CLIENT_IP);
        long next = (cur.seq + cur.seqLen()) & 0xFFFF_FFFFL;
        if (fromClient) {
            clientSeq = forward(next, clientSeq);
        } else {
            serverSeq = forward(next, serverSeq);
        }
    }

    TcpSegment last() {
        return cur;
    }

    /** Feeds every segment built so far; returns the stream number of each. */
    long[] feed(FlowTracker t) {
        long[] streams = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            streams[i] = t.accept(all.get(i));
        }
        return streams;
    }

    /** The sender's next sequence number only moves forward (modulo 2^32). */
    private static long forward(long next, long current) {
        return (int) (next - current) > 0 ? next : current;
    }
}
