package dev.tcpautopsy.compare;

import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.synth.Profile;
import dev.tcpautopsy.synth.Synth;
import dev.tcpautopsy.synth.SynthParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated capture turned into a pair by {@link PairMaker}: NAT with a port per connection, a clock
 * seconds off and drifting, drops both ways, clamped MSS, shifted sequence numbers and a RST forged
 * towards each end. Every connection must be paired, and exactly what the maker did must be listed.
 */
class SyntheticPairTest {

    @Test
    void everyConnectionIsPairedAndExactlyWhatTheRouterDidIsListed(@TempDir Path tmp) throws Exception {
        Path dir = System.getProperty("compare.keep") != null ? Path.of(System.getProperty("compare.keep")) : tmp;
        Path src = dir.resolve("src.pcap"), a = dir.resolve("a.pcap"), b = dir.resolve("b.pcap");
        Synth.generate(SynthParams.defaults(Profile.CHURN, 1).withTargets(0, Long.getLong("compare.packets", 60_000)).withNetwork(300, 0.002, 0.001, 0.2,
                true), src, null, null);
        PairMaker m = new PairMaker();
        m.make(src, a, b);
        long t0 = System.nanoTime();
        Comparison c = Compared.compare(List.of(a), List.of(b), Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - t0) / 1e9;

        Set<String> want = new TreeSet<>();
        want.addAll(Compared.named("lostAtoB", m.lostAtoB));
        want.addAll(Compared.named("lostBtoA", m.lostBtoA));
        want.addAll(Compared.named("appearedAtA", m.appearedAtA));
        want.addAll(Compared.named("appearedAtB", m.appearedAtB));
        assertTrue(m.lostAtoB.size() > 50 && m.lostBtoA.size() > 50, m.lostAtoB.size() + " / " + m.lostBtoA.size());
        Set<String> got = Compared.listed(c);
        assertTrue(want.equals(got), Compared.diff(want, got));

        assertEquals(List.of(), c.onlyInA());
        assertEquals(List.of(), c.onlyInB());
        assertEquals(m.v4Connections + m.v6Connections, c.connections().size());
        int translated = 0, clamped = 0, shifted = 0;
        for (Comparison.Pair p : c.connections()) {
            boolean v4 = !p.client().ip().contains(":");
            Set<String> kinds = new TreeSet<>(p.changes().stream().map(Comparison.Change::kind).toList());
            translated += kinds.contains("client-translated") ? 1 : 0;
            clamped += kinds.contains("mss") ? 1 : 0;
            shifted += kinds.contains("seq-shift") ? 1 : 0;
            assertEquals(v4, kinds.contains("client-translated"), p.client() + " " + kinds);
            assertEquals(m.shifted.contains(Packet.key(p.client())), kinds.contains("seq-shift"), p.client() + " " + kinds);
            assertEquals("a", p.clientSide(), p.client().toString());
            assertEquals(1, p.hopsAtoB());
            assertTrue(p.hopsBtoA() == 1 || p.hopsBtoA() == -1 && p.appearedAtA().isEmpty(), "server never answered");
        }
        assertEquals(m.v4Connections, translated);
        assertEquals(m.v4Connections, clamped);
        assertTrue(shifted > 0);
        assertEquals(2.5, c.clock().offsetSeconds(), 0.001);
        assertEquals(50, c.clock().driftPpm(), 5);
        assertEquals(0.0002, c.clock().oneWaySeconds(), 0.00005);
        System.out.printf("%d connections, %d + %d segments compared in %.2f s%n", c.connections().size(),
                c.a().segments(), c.b().segments(), seconds);
    }
}
