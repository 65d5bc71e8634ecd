package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.AnalysisCounts;
import dev.tcpautopsy.model.AppContext;
import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.model.IdleGap;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.StateChange;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.report.ReportFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flows kept encoded (in memory or in run files) come back equal, in stream order, tagged when reused. */
class FlowStoreTest {

    @Test
    void theCodecGivesBackEqualFlows() {
        List<Flow> flows = new ArrayList<>(List.of(ReportFixture.orderly(), ReportFixture.unread(), ReportFixture.refused()));
        flows.addAll(random(200, 1));
        ByteSink sink = new ByteSink();
        ByteSource src = new ByteSource();
        for (Flow f : flows) {
            sink.reset();
            FlowCodec.write(sink, f);
            assertEquals(f, FlowCodec.read(src.at(sink.buf, 0)));
            assertEquals(sink.len, src.pos, "the record reads to its end");
        }
    }

    @Test
    void heldAndSpilledFlowsComeBackInStreamOrder(@TempDir Path dir) throws Exception {
        List<Flow> flows = random(5_000, 2);
        List<Flow> expected = new ArrayList<>(flows);
        expected.sort(FlowStore.ORDER);
        for (int budget : new int[]{1_000_000, 700}) {
            try (TempFiles temp = new TempFiles(dir)) {
                FlowStore store = new FlowStore(new AtomicLong(budget), Math.min(budget, 300), temp);
                for (Flow f : flows) {
                    store.add(f);
                }
                FlowSet set = store.finish(Amendments.NONE);
                assertEquals(flows.size(), set.size());
                List<Flow> got = new ArrayList<>();
                set.forEach(got::add);
                assertEquals(expected, got, "budget " + budget);
                assertEquals(budget < flows.size(), !temp.files().isEmpty());
                List<Flow> again = new ArrayList<>();
                set.forEach(again::add);
                assertEquals(got, again, "a flow set can be read again");
            }
        }
    }

    @Test
    void aSmallCaptureHoldsItsFlowsNotAWholePage(@TempDir Path dir) throws Exception {
        // a batch keeps every capture's flow set until the reports are written
        List<Flow> flows = List.of(ReportFixture.orderly(), ReportFixture.unread(), ReportFixture.refused());
        ByteSink sink = new ByteSink();
        long encoded = 0;
        for (Flow f : flows) {
            sink.reset();
            FlowCodec.write(sink, f);
            encoded += sink.len;
        }
        try (TempFiles temp = new TempFiles(dir)) {
            FlowStore store = new FlowStore(new AtomicLong(1_000_000), 2_000, temp);
            for (Flow f : flows) {
                store.add(f);
            }
            FlowStore.HeldFlowSet set = (FlowStore.HeldFlowSet) store.finish(Amendments.NONE);
            assertEquals(encoded, set.pages().stream().mapToLong(p -> p.length).sum());
            List<Flow> got = new ArrayList<>();
            set.forEach(got::add);
            assertEquals(flows.size(), got.size());
        }
    }

    @Test
    void aFlowWhoseTupleWasReusedLaterIsTagged(@TempDir Path dir) throws Exception {
        try (TempFiles temp = new TempFiles(dir)) {
            FlowStore store = new FlowStore(new AtomicLong(100), 10, temp);
            for (Flow f : random(20, 3)) {
                store.add(f);
            }
            Flow first = store.finish(Amendments.NONE).iterator().next();
            FlowStore again = new FlowStore(new AtomicLong(100), 10, temp);
            for (Flow f : random(20, 3)) {
                again.add(f);
            }
            Amendments learned = new Amendments();
            learned.reusedLater(first.stream());
            Flow tagged = again.finish(learned).iterator().next();
            assertTrue(tagged.termination().tags().contains(Tag.PORT_REUSE));
            boolean had = first.termination().tags().contains(Tag.PORT_REUSE);
            assertEquals(first.termination().tags().size() + (had ? 0 : 1), tagged.termination().tags().size());
        }
    }

    /** Application context of every shape: none, some messages, TLS, a note. */
    private static AppContext app(SplittableRandom r) {
        if (r.nextInt(3) == 0) {
            return null;
        }
        AppContext.AppMessage req = r.nextBoolean() ? null
                : new AppContext.AppMessage(r.nextLong(1, 1L << 30), "client", "GET /api/orders HTTP/1.1 (Host: shop.example)");
        AppContext.AppMessage resp = r.nextBoolean() ? null
                : new AppContext.AppMessage(r.nextLong(1, 1L << 30), "server", "HTTP/1.1 502 Bad Gateway");
        AppContext.AppMessage bye = r.nextBoolean() ? null
                : new AppContext.AppMessage(r.nextLong(1, 1L << 30), "server", "FATAL 57P05 terminating connection ünïcode");
        AppContext.Tls tls = r.nextBoolean() ? null : new AppContext.Tls(r.nextBoolean() ? null : "shop.example", "h2,http/1.1",
                r.nextBoolean() ? null : new AppContext.AppMessage(r.nextLong(1, 99), "client", "warning close_notify"));
        return new AppContext(r.nextBoolean() ? "http" : null, req, resp, r.nextBoolean(), bye, tls,
                r.nextBoolean() ? null : "payload cut by the snapshot length");
    }

    /** Flows with every field set in varied ways (stream numbers repeat, as continuations do). */
    static List<Flow> random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TerminationClass[] classes = TerminationClass.values();
        By[] bys = By.values();
        Tag[] tags = Tag.values();
        List<Flow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long stream = r.nextInt(n);
            Instant start = Instant.ofEpochSecond(1_790_000_000L + r.nextInt(100_000), r.nextInt(1_000_000_000));
            Instant end = start.plusNanos(r.nextLong(0, 100_000_000_000L));
            List<Evidence> ev = new ArrayList<>();
            for (int k = r.nextInt(4); k > 0; k--) {
                ev.add(new Evidence(r.nextLong(1, 1L << 40), "note é " + r.nextInt(),
                        r.nextBoolean() ? List.of() : List.of("[TCP Header (20 bytes)]", "  Source port: " + r.nextInt(65536))));
            }
            List<Tag> tl = new ArrayList<>();
            for (int k = r.nextInt(3); k > 0; k--) {
                tl.add(tags[r.nextInt(tags.length)]);
            }
            AnalysisCounts a = r.nextBoolean() ? AnalysisCounts.NONE : new AnalysisCounts(r.nextInt(5), 0, r.nextInt(2),
                    r.nextInt(3), 0, r.nextInt(9), r.nextInt(100), 0, 0, r.nextInt(2), r.nextInt(7), 0, r.nextInt(1000));
            DirectionStats c = new DirectionStats(r.nextLong(1, 1L << 33), r.nextLong(0, 1L << 40), r.nextLong(-1, 1L << 32),
                    r.nextInt(-1, 9000), r.nextInt(-1, 15), r.nextInt(-1, 256), r.nextBoolean() ? "CLOSED" : "odd state",
                    r.nextLong(0, 1L << 30), r.nextLong(0, 1L << 30), a);
            DirectionStats s = r.nextInt(10) == 0 ? null : new DirectionStats(1, 0, -1, -1, -1, -1, "RESET", 0, 5, null);
            List<StateChange> tr = new ArrayList<>();
            List<PacketLine> lines = new ArrayList<>();
            if (r.nextBoolean()) {
                tr.add(new StateChange(r.nextLong(1, 1L << 40), start, "client", "INACTIVE", "SYN_SENT"));
                tr.add(new StateChange(r.nextLong(1, 1L << 40), end, "server", "ESTABLISHED", "RESET"));
                lines.add(new PacketLine(7, start, true, "SA", -1, 0, 0, 65535, 64, List.of()));
                lines.add(new PacketLine(1L << 41, end, false, "FRPAUEC", 1L << 35, 17, Integer.MAX_VALUE, 1L << 30, -1,
                        List.of("retransmission", "zero_window_probe")));
            }
            out.add(new Flow(stream, new Endpoint(r.nextBoolean() ? "198.18.0." + r.nextInt(256) : "2001:db8::" + r.nextInt(999),
                    r.nextInt(65536)), new Endpoint("198.19.1.2", 443), r.nextLong(1, 1L << 40), r.nextLong(1, 1L << 40),
                    start, r.nextInt(20) == 0 ? null : end, r.nextBoolean(), r.nextBoolean(),
                    new Termination(classes[r.nextInt(classes.length)], bys[r.nextInt(bys.length)],
                            r.nextInt(10) == 0 ? null : r.nextBoolean() ? "reason \"quoted\", with ünïcode " + r.nextLong()
                                    : r.nextBoolean() ? "plain ASCII, " + r.nextLong() : "日本 " + r.nextLong(),
                            "tcp.stream eq " + stream, ev, tl,
                            r.nextInt(10) == 0 ? null : new AppView(r.nextBoolean() ? "EOF" : "ECONNRESET", "none")),
                    c, s, r.nextLong(-1, 1_000_000), r.nextBoolean() ? null : new IdleGap(r.nextDouble() * 100, 3, 9),
                    r.nextBoolean() ? "ShADadFf" : "", tr, lines, app(r)));
        }
        Collections.shuffle(out, new java.util.Random(seed));
        return out;
    }
}
