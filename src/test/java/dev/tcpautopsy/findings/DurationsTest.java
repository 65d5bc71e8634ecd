package dev.tcpautopsy.findings;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tcpautopsy.findings.Facts.MS;
import static dev.tcpautopsy.findings.Facts.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timers are windows of idle durations that hold most closes, with exact counts, whatever else is there. */
class DurationsTest {

    private static Durations of(long... nanos) {
        Durations d = new Durations(new Durations.Budget(1_000_000));
        for (int i = 0; i < nanos.length; i++) {
            d.add(i, nanos[i]);
        }
        return d;
    }

    @Test
    void anExactTimerIsOneClusterWithItsShortestDuration() {
        List<Durations.Cluster> c = of(3000 * MS, 3001 * MS, 3004 * MS, 3002 * MS).clusters(3);
        assertEquals(1, c.size());
        assertEquals(4, c.get(0).count());
        assertEquals(3000 * MS, c.get(0).minNanos());
        assertEquals(3004 * MS, c.get(0).maxNanos());
        assertEquals(List.of(0L, 1L, 2L, 3L), c.get(0).streams().streams());
    }

    @Test
    void aTimerCheckedOnceASecondSpreadsOverThatSecond() {
        // Redis timeout 3: closes 3.15 to 4.12 s after the last command
        List<Durations.Cluster> c = of(3150 * MS, 3160 * MS, 3397 * MS, 3583 * MS, 3586 * MS, 3758 * MS, 3894 * MS,
                4121 * MS).clusters(3);
        assertEquals(1, c.size());
        assertEquals(8, c.get(0).count());
        assertEquals(3150 * MS, c.get(0).minNanos());
    }

    @Test
    void twoTimersOfOneEndpointAreTwoClusters() {
        List<Durations.Cluster> c = of(3 * S, 3 * S + MS, 3 * S + 2 * MS, 7 * S, 7 * S + MS, 7 * S + 3 * MS)
                .clusters(3);
        assertEquals(2, c.size());
        assertEquals(3 * S, c.get(0).minNanos());
        assertEquals(7 * S, c.get(1).minNanos());
        assertEquals(List.of(3L, 4L, 5L), c.get(1).streams().streams());
    }

    @Test
    void spreadDurationsAreNoTimer() {
        assertTrue(of(1 * S, 2 * S, 4 * S, 8 * S, 16 * S, 32 * S, 64 * S).clusters(3).isEmpty());
    }

    @Test
    void aTimerMustHoldAThirdOfTheCloses() {
        // three closes at 60 s among ten spread ones: not what this endpoint does
        assertTrue(of(60 * S, 60 * S, 60 * S, 1 * S, 2 * S, 4 * S, 8 * S, 16 * S, 100 * S, 200 * S, 400 * S, 800 * S,
                1600 * S).clusters(3).isEmpty());
        assertEquals(1, of(60 * S, 60 * S, 60 * S, 60 * S, 60 * S, 1 * S, 4 * S, 16 * S, 100 * S, 400 * S)
                .clusters(3).size());
    }

    @Test
    void twoClosesMakeATimerOnlyWhenTheyAgreeToOnePercent() {
        assertEquals(1, of(7000 * MS, 7009 * MS).clusters(3).size());
        assertTrue(of(7000 * MS, 7600 * MS).clusters(3).isEmpty());
        assertTrue(of(7000 * MS).clusters(3).isEmpty());
    }

    @Test
    void closesRightAfterAMessageAreNoTimer() {
        Durations d = of(1 * MS, 2 * MS, 3 * MS, 100 * MS, 500 * MS, 900 * MS);
        assertEquals(0, d.total(), "below the floor of " + Durations.FLOOR_NANOS + " ns");
        assertTrue(d.clusters(3).isEmpty());
    }

    @Test
    void countsStayExactBeyondTheKeptStreamsAndTheBudget() {
        Durations.Budget budget = new Durations.Budget(1500);
        Durations a = new Durations(budget);
        Durations b = new Durations(budget);
        for (int i = 0; i < 5000; i++) {
            a.add(i, 75 * S + i * MS / 10);
        }
        for (int i = 0; i < 5000; i++) {
            b.add(i, 60 * S);
        }
        Durations.Cluster ca = a.clusters(3).get(0);
        Durations.Cluster cb = b.clusters(3).get(0);
        assertEquals(5000, ca.count());
        assertEquals(5000, cb.count());
        assertEquals(Durations.KEPT, ca.streams().streams().size(), "the first thousand");
        assertEquals(500, cb.streams().streams().size(), "what the shared budget left");
    }
}
