package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisCounts;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.AnalysisSettings;
import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.DecodeStats;
import dev.tcpautopsy.model.DirectionStats;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowCursor;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.model.LinkTypeCount;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.StateChange;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * A model of any size whose flows are made on the fly, never held: stands in for a disk-backed
 * flow set, and counts how often renderers iterate it.
 */
public final class SyntheticModel {
    private static final TerminationClass[] CLASSES = TerminationClass.values();
    private static final Instant T0 = Instant.parse("2026-11-24T17:00:00Z");

    /** Iterations started, all captures together. */
    public final AtomicInteger iterations = new AtomicInteger();
    private final AnalysisReport report;

    public SyntheticModel(int captures, long flowsPerCapture) {
        List<CaptureReport> list = new ArrayList<>();
        for (int c = 0; c < captures; c++) {
            list.add(capture("synthetic-" + c + ".pcap", flowsPerCapture));
        }
        report = new AnalysisReport("test", T0, new AnalysisSettings(Duration.ofSeconds(30), false, List.of("synthetic")), list);
    }

    public AnalysisReport report() {
        return report;
    }

    /** Flow {@code i}: every class in turn, one in three abnormal ones from a handful of bad hosts. */
    static Flow flow(long i) {
        TerminationClass cls = CLASSES[(int) (i % CLASSES.length)];
        Instant start = T0.plusMillis(i * 7);
        Endpoint client = new Endpoint("198.18." + (i / 250 % 250) + "." + (i % 250 + 1), 30000 + (int) (i % 30000));
        Endpoint server = new Endpoint("198.19.0." + (i % 7 + 1), i % 3 == 0 ? 443 : 8080);
        List<PacketLine> last = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            last.add(new PacketLine(i * 20 + k + 12, start.plusMillis(100 + k), k % 2 == 0, k == 7 ? "RA" : "PA",
                    1 + k * 100L, 1 + k * 50L, k == 7 ? 0 : 100, 64240, 64, k == 6 ? List.of("retransmission") : List.of()));
        }
        DirectionStats side = new DirectionStats(10, 1000, 1, 1460, 7, 64, "ESTABLISHED", 0, 0, AnalysisCounts.NONE);
        return new Flow(i, client, server, i * 20 + 1, i * 20 + 19, start, start.plusMillis(107), true, false,
                new Termination(cls, By.values()[(int) (i % 4)], "synthetic reason for flow " + i + " of class " + cls.name(),
                        "tcp.stream eq " + i, List.of(new Evidence(i * 20 + 19, "the ending frame",
                        List.of("Frame " + (i * 20 + 19) + ": 54 bytes", "IPv4 198.19.0.1 > 198.18.0.1 ttl 64",
                                "TCP 8080 > 30000 [RST, ACK] seq 701 ack 351 win 0"))),
                        List.of(), new AppView("ECONNRESET", "none")),
                side, side, 1200, null, "ShADadR",
                List.of(new StateChange(i * 20 + 2, start, "client", "SYN_SENT", "ESTABLISHED")), last);
    }

    /** {@code n} flows made by {@code make} from their index, each iteration counted in {@code iterations}. */
    static FlowSet flows(long n, LongFunction<Flow> make, AtomicInteger iterations) {
        return new FlowSet() {
            @Override
            public long size() {
                return n;
            }

            @Override
            public FlowCursor cursor() {
                return FlowCursor.encoding(iterator());
            }

            @Override
            public Iterator<Flow> iterator() {
                iterations.incrementAndGet();
                return new Iterator<>() {
                    long i;

                    @Override
                    public boolean hasNext() {
                        return i < n;
                    }

                    @Override
                    public Flow next() {
                        return make.apply(i++);
                    }
                };
            }
        };
    }

    private CaptureReport capture(String name, long n) {
        Map<TerminationClass, Long> byClass = new EnumMap<>(TerminationClass.class);
        Map<TerminationClass, Map<By, Long>> byWho = new EnumMap<>(TerminationClass.class);
        long abnormal = 0;
        for (TerminationClass c : CLASSES) {
            long k = n / CLASSES.length + (c.ordinal() < n % CLASSES.length ? 1 : 0);
            if (k > 0) {
                byClass.put(c, k);
                byWho.put(c, Map.of(By.SERVER, k));
                abnormal += c.isAbnormal() ? k : 0;
            }
        }
        List<Map<TerminationClass, Long>> buckets = new ArrayList<>();
        for (int b = 0; b < 60; b++) {
            buckets.add(Map.of(TerminationClass.FIN_ORDERLY, n / 120 + 1, TerminationClass.RST_ABORT, n / 240 + 1));
        }
        EndingSummary summary = new EndingSummary(n, abnormal, byClass, byWho,
                List.of(new EndingSummary.Ranked("198.19.0.1", n / 7, abnormal / 7, byClass)),
                List.of(new EndingSummary.Ranked("8080", n * 2 / 3, abnormal * 2 / 3, byClass)),
                new EndingSummary.Timeline(T0, Math.max(1, n * 7 / 60), buckets));
        FlowSet flows = flows(n, SyntheticModel::flow, iterations);
        return new CaptureReport(name, "pcap", false, n * 2000, n * 20, T0, T0.plusMillis(n * 7 + 107),
                List.of(new LinkTypeCount(1, "ETHERNET", n * 20, "native")),
                new DecodeStats(n * 20, n * 20, 0, 0, Map.of(), Map.of(), Map.of()), "client host", null, summary, flows);
    }
}
