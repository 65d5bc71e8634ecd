package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Endpoint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The clock fit, the pairing of alike copies by time, and the headline, each on its own. */
class PiecesTest {
    private static final long MS = 1_000_000L;

    @Test
    void theClocksOffsetLiesMidwayBetweenTheTwoDirectionsLeastDelays() {
        Random r = new Random(3);
        int n = 400;
        long[] tA = new long[n], tB = new long[n];
        boolean[] up = new boolean[n];
        for (int i = 0; i < n; i++) {
            tA[i] = i * 25 * MS;
            up[i] = i % 2 == 0;
            long queue = (long) (r.nextDouble() * 3 * MS); // queues only ever add time
            long clock = 4_000 * MS + Math.round(tA[i] * 80e-6); // 4 s ahead, 80 ppm fast
            tB[i] = tA[i] + clock + (up[i] ? 2 * MS + queue : -(2 * MS + queue));
        }
        ClockFit f = ClockFit.of(tA, tB, up);
        assertEquals(4.0, f.offset / 1e9, 0.0005);
        assertEquals(80, f.drift * 1e6, 10);
        assertEquals(0.002, f.oneWay / 1e9, 0.0005);
        assertFalse(ClockFit.of(new long[0], new long[0], new boolean[0]).known);
    }

    /**
     * Two alike copies (a retransmission in the same millisecond, no IP ID): the one that arrived is the one
     * whose delay is the connection's, not the first in order.
     */
    @Test
    void alikeCopiesArePairedByTheirDelay() {
        Seg first = seg(1, 0), second = seg(2, 74_000);
        Seg arrived = seg(9, 74_000 + 60_000);
        List<Seg> a = new ArrayList<>(List.of(first, second)), b = new ArrayList<>(List.of(arrived));
        SegMatcher.align(b, a, -60_000, 1_000 * MS); // as seen from B: the copies left B, one reached A
        assertSame(second, arrived.twin);
        assertNull(first.twin);
    }

    @Test
    void theHeadlineCountsEachConnectionOnce() {
        Endpoint c = new Endpoint("198.18.0.2", 1), s = new Endpoint("198.18.1.2", 80);
        Comparison.View v = new Comparison.View(0, c, s, 1, 2, Instant.EPOCH, Instant.EPOCH, 2, null, null, "");
        List<Comparison.Pair> pairs = new ArrayList<>();
        for (String cat : List.of("identical", "identical", "identical", "lost-last", "rst-from-between", "lost-recovered")) {
            pairs.add(new Comparison.Pair(v, v, c, s, "a", 2, List.of(), List.of(), List.of(), List.of(), 0, 1, 1, List.of(),
                    null, cat, List.of()));
        }
        Comparison.OneSided never = new Comparison.OneSided(v, true, "", List.of(), List.of(), null, "rst-from-between",
                List.of());
        Comparison.OneSided elsewhere = new Comparison.OneSided(v, false, "", List.of(), List.of(), null, "only-in-a",
                List.of());
        Comparison.Summary sum = Models.summary(pairs, List.of(never, elsewhere), List.of());
        assertEquals("3 of 8 connections identical at both points; 1 lost its last segments between them; 1 lost segments "
                + "between them and recovered; 2 got a RST from in between (1 never reached B); 1 seen at A only, B not on "
                + "its path", sum.text());
        assertEquals(2, sum.injectedRst());
    }

    private static Seg seg(long frame, long ns) {
        return new Seg(frame, ns, 7, 9, 0x10, 1448, 64, -1, 55, 1);
    }
}
