package dev.tcpautopsy.compare;

import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Flow;

import java.util.ArrayList;
import java.util.List;

/** One connection at one capture point: that point's analysis of it, and its segments in frame order. */
final class Conn {
    final Comparison.View view;
    final Addr client, server;
    final List<Seg> segs = new ArrayList<>();
    /** The first SYN's and SYN-ACK's sequence numbers, when seen. */
    int clientIsn, serverIsn;
    boolean clientSyn, serverSyn;
    /** Paired with a connection at the other point. */
    boolean paired;

    Conn(Comparison.View view, Addr client, Addr server) {
        this.view = view;
        this.client = client;
        this.server = server;
    }

    static Conn of(Flow f) {
        Comparison.View v = new Comparison.View(f.stream(), f.client(), f.server(), f.firstFrame(), f.lastFrame(),
                f.start(), f.end(), 0, f.termination().cls(), f.termination().by(), f.termination().reason());
        return new Conn(v, Addr.of(f.client()), Addr.of(f.server()));
    }

    /** Called once every segment is in: the handshake's sequence numbers. */
    void settle() {
        for (Seg s : segs) {
            if (!s.has(TcpSegment.SYN)) {
                continue;
            }
            if (s.fromClient && !s.has(TcpSegment.ACK) && !clientSyn) {
                clientSyn = true;
                clientIsn = s.seq;
            } else if (!s.fromClient && s.has(TcpSegment.ACK) && !serverSyn) {
                serverSyn = true;
                serverIsn = s.seq;
            }
        }
    }

    long first() {
        return segs.isEmpty() ? view.start().getEpochSecond() * 1_000_000_000L + view.start().getNano()
                : segs.get(0).tsNanos;
    }

    long last() {
        return segs.isEmpty() ? first() : segs.get(segs.size() - 1).tsNanos;
    }

    /** The view with its segment count. */
    Comparison.View counted() {
        Comparison.View v = view;
        return new Comparison.View(v.stream(), v.client(), v.server(), v.firstFrame(), v.lastFrame(), v.start(),
                v.end(), segs.size(), v.cls(), v.by(), v.reason());
    }

    @Override
    public String toString() {
        return "stream " + view.stream() + " " + view.client() + " -> " + view.server();
    }
}
