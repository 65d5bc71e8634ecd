package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowCursor;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.model.TerminationClass;
import dev.tcpautopsy.report.ReportFixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapturePageTest {

    /** Flows that count how many were read. */
    private static final class CountingSet implements FlowSet {
        final List<Flow> flows;
        int read;

        CountingSet(List<Flow> flows) {
            this.flows = flows;
        }

        @Override
        public long size() {
            return flows.size();
        }

        @Override
        public FlowCursor cursor() {
            return FlowCursor.encoding(iterator());
        }

        @Override
        public Iterator<Flow> iterator() {
            Iterator<Flow> in = flows.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return in.hasNext();
                }

                @Override
                public Flow next() {
                    read++;
                    return in.next();
                }
            };
        }
    }

    private static CaptureReport capture(FlowSet flows, long total, long abnormal, Map<TerminationClass, Long> byClass) {
        CaptureReport c = ReportFixture.incident();
        EndingSummary s = c.summary();
        return new CaptureReport(c.file(), c.format(), c.compressed(), c.bytes(), c.packets(), c.first(), c.last(),
                c.linkTypes(), c.decoding(), c.vantage(), null,
                new EndingSummary(total, abnormal, byClass, s.byClassAndBy(), s.topHosts(), s.topPorts(), s.timeline()),
                flows);
    }

    /** The page of {@code c} built as the report writer feeds it: flows in order while it wants them. */
    private static CapturePage build(CaptureReport c, int rowCap, int detailCap, boolean hasPage) {
        CapturePage.Builder b = CapturePage.builder(0, c, rowCap, detailCap, hasPage);
        if (b.wantsFlows()) {
            FlowCursor flows = c.flows().cursor();
            FlowRecord r = new FlowRecord();
            while (flows.next()) {
                if (!b.add(flows.load(r))) {
                    break;
                }
            }
        }
        return b.build();
    }

    @Test
    void aPageStopsReadingFlowsOnceItHasWhatAWholePassWouldKeep() {
        List<Flow> flows = new ArrayList<>();
        flows.add(ReportFixture.unread()); // abnormal, with its details kept
        for (int i = 0; i < 4_999; i++) {
            flows.add(ReportFixture.orderly());
        }
        CountingSet set = new CountingSet(flows);
        CapturePage p = build(capture(set, 5_000, 1,
                Map.of(TerminationClass.RST_UNREAD_DATA, 1L, TerminationClass.FIN_ORDERLY, 4_999L)), 1_000, 25, true);
        assertEquals(1_001, set.read, "the abnormal flow and 1,000 others");
        assertEquals(1_000, p.rows().size());
        assertEquals(1, p.details().size());
        assertTrue(p.rowNote().startsWith("Showing 1,000 of 5,000 connections"), p.rowNote());
    }

    @Test
    void aClassWhoseFlowsHadNoDetailsKeptMakesItReadThemAll() {
        List<Flow> flows = new ArrayList<>();
        flows.add(ReportFixture.refused()); // abnormal, details not kept: a card may still need a later one
        for (int i = 0; i < 2_999; i++) {
            flows.add(ReportFixture.orderly());
        }
        CountingSet set = new CountingSet(flows);
        CapturePage p = build(capture(set, 3_000, 1,
                Map.of(TerminationClass.REFUSED, 1L, TerminationClass.FIN_ORDERLY, 2_999L)), 1_000, 25, true);
        assertEquals(3_000, set.read);
        assertEquals(1, p.details().size());
    }

    @Test
    void aCaptureWithoutAPageReadsNoFlow() {
        List<Flow> flows = new ArrayList<>(List.of(ReportFixture.unread(), ReportFixture.orderly()));
        CountingSet set = new CountingSet(flows);
        CapturePage p = build(capture(set, 2, 1,
                Map.of(TerminationClass.RST_UNREAD_DATA, 1L, TerminationClass.FIN_ORDERLY, 1L)), 0, 0, false);
        assertEquals(0, set.read);
        assertEquals(2, p.flows());
    }

    @Test
    void aSummaryThatDoesNotCountThisFlowSetMakesItReadThemAll() {
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            flows.add(ReportFixture.orderly());
        }
        CountingSet set = new CountingSet(flows);
        build(capture(set, 1_999, 0, Map.of(TerminationClass.FIN_ORDERLY, 1_999L)), 1_000, 25, true);
        assertEquals(2_000, set.read);
    }
}
