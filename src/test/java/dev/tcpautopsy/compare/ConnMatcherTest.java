package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pairing scales with the connections, not with their square: 30,000 connections behind a NAT that all send
 * the same first request (a health check) are each paired with their twin by the handshake, and only a few
 * pairings per connection are ever weighed.
 */
class ConnMatcherTest {
    private static final int SYN = 0x02, ACK = 0x10;

    @Test
    void manyAlikeConnectionsArePairedByTheirHandshakeWithFewCandidates() {
        int n = 30_000;
        Random r = new Random(5);
        List<Conn> a = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int cIsn = r.nextInt(), sIsn = r.nextInt();
            long t = i * 1_000_000L;
            a.add(conn(new Endpoint("198.18.0." + (2 + i % 200), 10_000 + i), cIsn, sIsn, t));
            b.add(conn(new Endpoint("198.18.1.1", 20_000 + i), cIsn, sIsn, t + 5_000_000_000L));
        }
        Point pa = new Point("A", null, a, 0, n * 1_000_000L), pb = new Point("B", null, b, 0, n * 1_000_000L);
        ConnMatcher.Result m = ConnMatcher.match(pa, pb);
        assertEquals(n, m.twins().size());
        assertTrue(m.candidates() <= 2L * n, m.candidates() + " candidates for " + n + " connections");
        for (Twin t : m.twins()) {
            assertEquals(t.a.view.client().port() + 10_000, t.b.view.client().port());
            assertEquals(0, t.deltaC2S);
            assertEquals(0, t.deltaS2C);
        }
    }

    private static Conn conn(Endpoint client, int cIsn, int sIsn, long t) {
        Endpoint server = new Endpoint("198.18.1.2", 80);
        Comparison.View v = new Comparison.View(0, client, server, 1, 4, Instant.EPOCH, Instant.EPOCH, 4,
                TerminationClass.FIN_ORDERLY, By.CLIENT, "");
        Conn c = new Conn(v, Addr.of(client), Addr.of(server));
        c.segs.add(seg(t, cIsn, 0, SYN, 0, true));
        c.segs.add(seg(t + 1, sIsn, cIsn + 1, SYN | ACK, 0, false));
        c.segs.add(seg(t + 2, cIsn + 1, sIsn + 1, ACK, 40, true)); // the same 40 bytes in every connection
        c.settle();
        return c;
    }

    private static Seg seg(long t, int seq, int ack, int flags, int len, boolean fromClient) {
        Seg s = new Seg(1, t, seq, ack, flags, len, 64, 1, 0, len > 0 ? 0x1234_5678L : 0);
        s.fromClient = fromClient;
        return s;
    }
}
