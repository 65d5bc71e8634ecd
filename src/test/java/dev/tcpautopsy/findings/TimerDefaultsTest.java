package dev.tcpautopsy.findings;

import dev.tcpautopsy.model.TimerMatch;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table of documented defaults: read by column name, matched by seconds within the spread and by side. */
class TimerDefaultsTest {
    static final TimerDefaults FIXTURE = TimerDefaults.load("dev/tcpautopsy/findings/defaults-fixture.tsv");

    private static List<String> names(List<TimerMatch> m) {
        return m.stream().map(TimerMatch::name).toList();
    }

    @Test
    void fixtureIsReadWithItsSources() {
        assertEquals(6, FIXTURE.entries().size());
        TimerDefaults.Entry nginx = FIXTURE.entries().get(0);
        assertEquals("keepalive_timeout", nginx.setting());
        assertEquals(75.0, nginx.seconds());
        assertTrue(nginx.source().startsWith("https://nginx.org/"));
    }

    @Test
    void aTimerMatchesTheDefaultsWithinItsSpreadOnItsSide() {
        assertEquals(List.of("nginx keepalive_timeout"), names(FIXTURE.match("server", 75.0, 75.0, false)));
        assertEquals(List.of("Apache httpd KeepAliveTimeout", "Node.js server.keepAliveTimeout"),
                names(FIXTURE.match("server", 5.0, 5.01, false)));
        assertTrue(FIXTURE.match("client", 5.0, 5.01, false).isEmpty(), "a client's 5 s is no server default");
        assertTrue(FIXTURE.match("server", 60.0, 60.0, false).isEmpty(), "the ALB's 60 s is a middlebox's");
        assertEquals(List.of("AWS Application Load Balancer idle_timeout.timeout_seconds"),
                names(FIXTURE.match("middlebox", 60.0, 60.2, false)));
        assertTrue(FIXTURE.match("server", 3.0, 3.0, false).isEmpty(), "a timer the lab set, no default");
    }

    @Test
    void aBracketMatchesWhatLiesInIt() {
        // drops after 400 s idle, 300 s passed: the NLB's 350 s fits, conntrack's five days do not
        assertEquals(List.of("AWS Network Load Balancer TCP idle timeout"), names(FIXTURE.match("middlebox", 300, 400, true)));
        assertTrue(FIXTURE.match("middlebox", 300, 400, false).isEmpty(), "the NLB drops, it does not close");
        assertTrue(FIXTURE.match("middlebox", 59, 61, true).isEmpty(), "the ALB closes, it does not drop");
    }

    @Test
    void aMeasureMayMissTheDefaultByTwoPercent() {
        assertEquals(1, FIXTURE.match("server", 76.4, 76.4, false).size());
        assertTrue(FIXTURE.match("server", 77.0, 77.0, false).isEmpty());
    }

    @Test
    void aBrokenTableSaysWhereInOneLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TimerDefaults.parse(
                new BufferedReader(new StringReader("product\tsetting\tseconds\tcloses\tside\tbehaviour\tsource\tquote\n"
                        + "nginx\tkeepalive_timeout\tseventy-five\tx\tserver\tFIN\thttps://x\tq\n")), "defaults.tsv"));
        assertEquals("defaults.tsv line 2: seconds 'seventy-five' is no number", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> TimerDefaults.parse(
                new BufferedReader(new StringReader("product\tsetting\tseconds\n")), "defaults.tsv"));
        assertEquals("defaults.tsv line 1: no column 'closes' in the header", e.getMessage());
    }

    @Test
    void theBuiltInTableLoads() throws IOException {
        assertTrue(TimerDefaults.BUILT_IN.entries().size() >= 40, "the project's table, "
                + TimerDefaults.BUILT_IN.entries().size() + " rows");
        // every row of the project's table has seconds (0: off by default) and a source
        for (TimerDefaults.Entry e : TimerDefaults.BUILT_IN.entries()) {
            assertTrue(e.seconds() >= 0, e.toString());
            assertTrue(e.source().startsWith("http"), e.toString());
        }
    }
}
