package dev.tcpautopsy.flow;

import dev.tcpautopsy.model.AnalysisCounts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TTL baselines and the vantage point learned from finished flows, each kind of host bounded on its own. */
class HostTableTest {

    /** One side: {@code packets} packets with TTLs from {@code min} to {@code max}, most of them {@code ttl}. */
    private static SideFacts side(String ip, int ttl, int min, int max, long packets) {
        return new SideFacts(ip, 40000, 1, 0, packets, 0, 0, ttl, min, max, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, -1, 1, -1, 0, 0,
                0, 0, -1, -1, false, 0, -1, -1, false, -1, -1, 0, 0, 0, 1, 0, 1000, 0, -1, 0, 0, 0, new long[0], "none",
                "ESTABLISHED", AnalysisCounts.NONE);
    }

    private static FlowFacts flow(SideFacts client, SideFacts server) {
        return new FlowFacts(0, client, server, true, true, false, 1, 2, 0, 1, 1, -1, null, null, List.of(), List.of(), "Sh");
    }

    @Test
    void aHostsBaselineIsItsSteadyTtlAndAVaryingHostHasNone() {
        HostTable t = new HostTable(100);
        t.observe(flow(side("198.18.0.2", 64, 64, 64, 10), side("198.18.1.2", 63, 63, 63, 10)));
        t.observe(flow(side("198.18.0.3", 64, 64, 64, 10), side("198.18.1.2", 63, 63, 63, 5)));
        t.observe(flow(side("198.18.0.4", 128, 120, 128, 10), side("198.18.1.3", 61, 61, 61, 1)));
        assertEquals(63, t.ttlBaseline("198.18.1.2"));
        assertEquals(15, t.ttlSamples("198.18.1.2"));
        assertEquals(-1, t.ttlBaseline("198.18.0.4"), "its TTL varied within a flow");
        assertEquals(-1, t.ttlBaseline("198.18.9.9"));
        assertEquals(0, t.ttlSamples("198.18.9.9"));
        assertTrue(t.isLocal("198.18.0.2") && t.isLocal(new String("198.18.0.4")));
        assertFalse(t.isLocal("198.18.1.2"));
        assertEquals("on 198.18.0.2 (client in 1 flow), 198.18.0.3 (client in 1 flow), 198.18.0.4 (client in 1 flow)",
                t.vantage());
    }

    @Test
    void pastTheBoundNewHostsAreNotTrackedButStillCountForTheVantagePoint() {
        HostTable t = new HostTable(1);
        t.observe(flow(side("198.18.0.2", 64, 64, 64, 10), side("198.18.1.2", 64, 64, 64, 10)));
        t.observe(flow(side("198.18.0.3", 64, 60, 64, 10), side("198.18.1.2", 64, 64, 64, 10)));
        assertEquals(64, t.ttlBaseline("198.18.0.2"));
        assertEquals(0, t.ttlSamples("198.18.1.2"), "the second host is beyond the bound");
        assertFalse(t.isLocal("198.18.0.3"));
        // one local host named, the other local-looking hosts counted nowhere
        assertEquals("on 198.18.0.2 (client in 1 flow)", t.vantage());
        assertEquals("unknown", new HostTable(1).vantage());
        HostTable path = new HostTable(10);
        path.observe(flow(side("198.18.0.2", 62, 62, 62, 3), side("198.18.1.2", 61, 61, 61, 3)));
        assertEquals("in the path", path.vantage());
    }
}
