package dev.tcpautopsy.findings;

import dev.tcpautopsy.flow.QuietFacts;
import org.junit.jupiter.api.Test;

import static dev.tcpautopsy.findings.Facts.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which quiet time a close is measured by. */
class IdleBeforeTest {

    /** The server closed {@code since} after the last data, sent by {@code lastByClient}, after a pause of {@code run}. */
    private static QuietFacts serverClose(long since, boolean lastByClient, long run, boolean runAfterClient) {
        return new QuietFacts(20, false, since, lastByClient, run, runAfterClient, -1, 0, 0, -1);
    }

    @Test
    void aCloseAfterQuietIsMeasuredFromTheLastData() {
        assertEquals(3000 * MS, IdleBefore.close(serverClose(3000 * MS, false, 5 * MS, true), false));
        assertEquals(3000 * MS, IdleBefore.close(serverClose(3000 * MS, true, 5 * MS, false), false),
                "a request left unanswered, then the close: measured from the request");
    }

    @Test
    void aGoodbyeIsMeasuredFromTheClosersDataBeforeIt() {
        // PostgreSQL: response, 3 s, FATAL 57P05, FIN 2 ms later
        assertEquals(3002 * MS, IdleBefore.close(serverClose(2 * MS, false, 3000 * MS, false), false));
    }

    @Test
    void aResponseWithItsCloseIsNoQuietTime() {
        // HTTP Connection: close: the request, 40 ms of work, the response, the FIN
        assertEquals(1 * MS, IdleBefore.close(serverClose(1 * MS, false, 40 * MS, true), false));
    }

    @Test
    void aCloseThatCrossedARequestIsMeasuredFromTheClosersDataBeforeIt() {
        QuietFacts q = serverClose(38 * MS, true, 2962 * MS, false);
        assertEquals(3000 * MS, IdleBefore.close(q, true));
        assertEquals(38 * MS, IdleBefore.close(q, false), "not crossed: the request was answered by the close");
    }

    @Test
    void noDataBeforeTheCloseIsNoMeasure() {
        assertEquals(-1, IdleBefore.close(new QuietFacts(20, false, -1, false, -1, false, -1, 0, 0, -1), false));
        assertEquals(-1, IdleBefore.close(QuietFacts.NONE, false));
    }

    @Test
    void aDropIsMeasuredByTheIdleGapOnlyWhenTheSilenceFollowedIt() {
        Facts f = new Facts(0);
        f.clientUnanswered = 5;
        f.serverLastFrame = 9;
        f.quiet = new QuietFacts(0, false, -1, false, -1, false, 4200 * MS, 9, 10, -1);
        assertEquals(4200 * MS, IdleBefore.drop(f.build()), "the server's last segment came before the gap");
        f.serverLastFrame = 12;
        assertEquals(-1, IdleBefore.drop(f.build()), "the server answered after the gap: the drop came later");
    }
}
