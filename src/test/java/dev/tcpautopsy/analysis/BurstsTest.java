package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.AnalysisCounts;
import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowEncoder;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One host ending several connections at one instant is one event; a host that always ends many is not. */
class BurstsTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;
    private static final Termination ABORT = new Termination(TerminationClass.RST_ABORT, By.SERVER, "abort",
            "tcp.stream eq 0", List.of(), List.of(), new AppView("ECONNRESET", "none"));

    /** A flow started at {@code start} whose server {@code ip} reset it at {@code rstAt}, frame {@code frame}. */
    private static FlowFacts resetBy(String ip, long stream, long start, long rstAt, long frame) {
        SideFacts client = side("198.18.0.2", 40000 + (int) stream, 0, 0);
        SideFacts server = side(ip, 80, frame, rstAt);
        return new FlowFacts(stream, client, server, true, true, false, frame - 5, frame, start, rstAt, rstAt, -1, null,
                null, List.of(), List.of(), "ShADr");
    }

    private static SideFacts side(String ip, int port, long rstFrame, long rstNanos) {
        return new SideFacts(ip, port, 1, 0, 3, 0, 0, 64, 64, 64, 0, -1, -1, 1, 1, 1, 0, 0, 0, 0, -1, 1, -1, 0, 0, 0,
                0, -1, -1, false, rstFrame, rstFrame == 0 ? -1 : rstNanos, 1, true, 1, 64, rstFrame == 0 ? 0 : 1, 0, 0, 1,
                0, 1000, 0, -1, 0, 0, 0, new long[0], "none", "RESET", AnalysisCounts.NONE);
    }

    private static Flow stored(FlowFacts f) {
        return new Flow(f.stream(), new Endpoint(f.client().ip(), f.client().port()),
                new Endpoint(f.server().ip(), f.server().port()), f.firstFrame(), f.lastFrame(), Instant.EPOCH,
                Instant.EPOCH, true, false, ABORT, null, null, -1, null, "", List.of(), List.of());
    }

    private static List<Flow> judge(List<FlowFacts> flows) {
        Amendments a = new Amendments();
        Bursts b = new Bursts(a);
        flows.forEach(f -> b.add(f, ABORT));
        b.finish();
        a.seal();
        List<Flow> out = new ArrayList<>();
        FlowEncoder e = new FlowEncoder();
        for (FlowFacts f : flows) {
            e.encode(stored(f));
            out.add(new FlowRecord().load(e.bytes(), 0, a.reused(f.stream()), a.burstClause(e.bytes(), 0)).flow());
        }
        return out;
    }

    @Test
    void threeResetsWithinTenMillisecondsAreOneBurst() {
        List<FlowFacts> flows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            flows.add(resetBy("198.18.1.2", i, 0, 60 * S + i * 4 * MS, 100 + i));
        }
        flows.add(resetBy("198.18.1.2", 3, 0, 90 * S, 200));
        List<Flow> out = judge(flows);
        for (int i = 0; i < 3; i++) {
            Termination t = out.get(i).termination();
            assertTrue(t.tags().contains(Tag.HOST_BURST), t.toString());
            assertTrue(t.reason().contains("one of 3 connections that 198.18.1.2 ended within 8 ms (frames 100-102)"),
                    t.reason());
        }
        assertFalse(out.get(3).termination().tags().contains(Tag.HOST_BURST), "a reset 30 s later is not part of it");
    }

    @Test
    void twoAreNoBurstNorAreThreeSpreadOverMoreThanTenMilliseconds() {
        List<FlowFacts> flows = new ArrayList<>();
        flows.add(resetBy("198.18.1.2", 0, 0, 60 * S, 100));
        flows.add(resetBy("198.18.1.2", 1, 0, 60 * S + 5 * MS, 101));
        flows.add(resetBy("198.18.1.2", 2, 0, 60 * S + 11 * MS, 102));
        judge(flows).forEach(f -> assertFalse(f.termination().tags().contains(Tag.HOST_BURST), f.toString()));
    }

    @Test
    void aHostThatEndsConnectionsAllTheTimeHasNoBursts() {
        // a busy server ending one connection every 2 ms for a minute: three in 10 ms is its usual rate
        List<FlowFacts> flows = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            flows.add(resetBy("198.18.1.2", i, i * 2 * MS, i * 2 * MS + 10 * MS, 100 + i));
        }
        judge(flows).forEach(f -> assertFalse(f.termination().tags().contains(Tag.HOST_BURST)));
    }

    @Test
    void endingsFarApartInCaptureTimeAreLookedAtAsTheyComeAndStillFound() {
        // bursts an hour apart: the first is settled while the second gathers
        List<FlowFacts> flows = new ArrayList<>();
        for (int hour = 0; hour < 3; hour++) {
            for (int i = 0; i < 4; i++) {
                long end = (hour + 1) * 3600 * S + i * MS;
                flows.add(resetBy("198.18.1." + (hour + 2), hour * 4 + i, end - 60 * S, end, hour * 10 + i + 1));
            }
        }
        judge(flows).forEach(f -> assertTrue(f.termination().tags().contains(Tag.HOST_BURST), f.toString()));
    }

    @Test
    void endingsHandedOnOutOfTimeOrderAreLookedAtInTimeOrderPerHost() {
        // one host's resets at 0, 4, 8 and 20 ms come in the order 20, 8, 0, 4, between another host's
        List<FlowFacts> flows = new ArrayList<>();
        long[] at = {20, 8, 0, 4};
        long[] frames = {103, 102, 100, 101};
        for (int i = 0; i < 4; i++) {
            flows.add(resetBy("198.18.1.2", 2 * i, 0, 60 * S + at[i] * MS, frames[i]));
            flows.add(resetBy("198.18.1.3", 2 * i + 1, 0, (30 + 30 * i) * S, 200 + i));
        }
        List<Flow> out = judge(flows);
        for (int i = 0; i < 8; i++) {
            Termination t = out.get(i).termination();
            if (i % 2 == 0 && i > 0) {
                assertTrue(t.tags().contains(Tag.HOST_BURST), t.toString());
                assertTrue(t.reason().contains("one of 3 connections that 198.18.1.2 ended within 8 ms (frames 100-102)"),
                        t.reason());
            } else {
                assertFalse(t.tags().contains(Tag.HOST_BURST), t.toString());
            }
        }
    }
}
