package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.AnalysisResult;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowCursor;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.ReportWriter;
import dev.tcpautopsy.report.formats.ReportFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code facts.json} is one more format of the worker's single pass over the flows. */
class ServeFactsTest {
    @TempDir
    Path out;

    @Test
    void factsAreTakenInTheSamePassAsTheReports() throws Exception {
        Path sample = ServeHarness.SAMPLES.resolve("mixed-concurrent.pcap.gz");
        try (Analyzer analyzer = new Analyzer(new AnalysisOptions(AnalysisOptions.DEFAULT_IDLE_THRESHOLD, false, 1,
                Set.of(), Set.of(), Set.of(), false));
             AnalysisResult result = analyzer.analyze(List.of(Input.of(sample)), ProgressListener.NONE)) {
            CaptureReport c = result.report().captures().get(0);
            AtomicInteger passes = new AtomicInteger();
            FlowSet counted = new FlowSet() {
                @Override
                public long size() {
                    return c.flows().size();
                }

                @Override
                public FlowCursor cursor() {
                    passes.incrementAndGet();
                    return c.flows().cursor();
                }
            };
            AnalysisReport report = result.report().withCaptures(List.of(c.withFlows(counted)));
            List<ReportRenderer> renderers = new ArrayList<>();
            for (ReportFormat f : ReportFormat.values()) {
                renderers.add(f.renderer());
            }
            renderers.add(new FactsRenderer());
            ReportWriter.serial(renderers).write(report, ReportTarget.directory(out));
            assertEquals(1, passes.get(), "the flows are read once for the four reports and the facts");

            Facts facts = AnalysisWorker.JSON.readValue(out.resolve(FactsRenderer.FILE).toFile(), Facts.class);
            Set<String> hosts = new LinkedHashSet<>();
            for (Flow f : c.flows()) {
                hosts.add(f.client().ip());
                hosts.add(f.server().ip());
            }
            assertEquals(List.copyOf(hosts), facts.hosts());
            assertFalse(facts.hostsTruncated());
            Map<String, Long> byClass = new TreeMap<>();
            c.summary().byClass().forEach((k, v) -> byClass.put(k.name(), v));
            assertEquals(byClass, facts.byClass());
            assertEquals(List.copyOf(byClass.keySet()), List.copyOf(facts.byClass().keySet()), "in class-name order");
            assertEquals(c.packets(), facts.packets());
            assertEquals(c.summary().flows(), facts.flows());
            assertEquals(c.summary().abnormal(), facts.abnormal());

            JsonNode json = AnalysisWorker.JSON.readTree(Files.readAllBytes(out.resolve(ReportFormat.JSON.fileName())));
            assertEquals(c.summary().flows(), json.path("captures").get(0).path("flows").size(),
                    "the reports had every flow");
        }
    }
}
