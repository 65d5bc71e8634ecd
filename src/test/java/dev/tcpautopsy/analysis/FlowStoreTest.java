package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowEncoder;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.model.RandomFlows;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.report.ReportFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flows kept encoded (in memory or in run files) come back equal, in stream order, tagged when reused. */
class FlowStoreTest {

    @Test
    void heldAndSpilledFlowsComeBackInStreamOrder(@TempDir Path dir) throws Exception {
        List<Flow> flows = RandomFlows.random(5_000, 2);
        List<Flow> expected = new ArrayList<>(flows);
        expected.sort(Comparator.comparingLong(Flow::stream).thenComparingLong(Flow::firstFrame));
        for (int budget : new int[]{1_000_000, 700}) {
            try (TempFiles temp = new TempFiles(dir)) {
                FlowStore store = new FlowStore(new AtomicLong(budget), Math.min(budget, 300), temp);
                for (Flow f : flows) {
                    store.add(new FlowEncoder().encode(f));
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
        FlowEncoder encoder = new FlowEncoder();
        long encoded = 0;
        for (Flow f : flows) {
            encoded += encoder.encode(f).length();
        }
        try (TempFiles temp = new TempFiles(dir)) {
            FlowStore store = new FlowStore(new AtomicLong(1_000_000), 2_000, temp);
            for (Flow f : flows) {
                store.add(new FlowEncoder().encode(f));
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
            for (Flow f : RandomFlows.random(20, 3)) {
                store.add(new FlowEncoder().encode(f));
            }
            Flow first = store.finish(Amendments.NONE).iterator().next();
            FlowStore again = new FlowStore(new AtomicLong(100), 10, temp);
            for (Flow f : RandomFlows.random(20, 3)) {
                again.add(new FlowEncoder().encode(f));
            }
            Amendments learned = new Amendments();
            learned.reusedLater(first.stream());
            Flow tagged = again.finish(learned).iterator().next();
            assertTrue(tagged.termination().tags().contains(Tag.PORT_REUSE));
            boolean had = first.termination().tags().contains(Tag.PORT_REUSE);
            assertEquals(first.termination().tags().size() + (had ? 0 : 1), tagged.termination().tags().size());
        }
    }
}
