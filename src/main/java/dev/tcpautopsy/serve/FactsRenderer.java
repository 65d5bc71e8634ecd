package dev.tcpautopsy.serve;

import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.ReportVisitor;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code facts.json}, the {@link Facts} of a worker's capture for the index, written as one more format:
 * it takes the hosts from the flows the report formats are handed anyway, so no flow is read twice.
 */
final class FactsRenderer implements ReportRenderer {
    static final String FILE = "facts.json";

    @Override
    public String fileName() {
        return FILE;
    }

    @Override
    public ReportVisitor start(AnalysisReport report, ReportTarget target) {
        return new Collecting(target);
    }

    /** The first capture's counts, and its hosts up to {@link Facts#MAX_HOSTS}. */
    private static final class Collecting implements ReportVisitor {
        private final ReportTarget target;
        private final Set<String> hosts = new LinkedHashSet<>();
        private CaptureReport capture;
        private boolean truncated;

        Collecting(ReportTarget target) {
            this.target = target;
        }

        @Override
        public boolean startCapture(CaptureReport c) {
            if (capture != null) {
                return false;  // a worker's analysis has one capture
            }
            capture = c;
            return true;
        }

        @Override
        public boolean flow(FlowRecord f) {
            hosts.add(f.clientIp().toString());
            hosts.add(f.serverIp().toString());
            if (hosts.size() >= Facts.MAX_HOSTS) {
                truncated = true;
                return false;
            }
            return true;
        }

        @Override
        public void end() throws IOException {
            try (OutputStream out = target.open(FILE)) {
                AnalysisWorker.JSON.writeValue(out, facts());
            }
        }

        private Facts facts() {
            CaptureReport c = capture;
            EndingSummary s = c.summary();
            Map<String, Long> byClass = new TreeMap<>();
            if (s != null) {
                s.byClass().forEach((k, v) -> byClass.put(k.name(), v));
            }
            return new Facts(c.packets(), s == null ? c.flows().size() : s.flows(), s == null ? 0 : s.abnormal(),
                    c.format(), c.compressed(), c.error() == null ? null : c.error().message(), byClass,
                    List.copyOf(hosts), truncated, null);
        }
    }
}
