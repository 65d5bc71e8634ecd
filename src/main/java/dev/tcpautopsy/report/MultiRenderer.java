package dev.tcpautopsy.report;

import dev.tcpautopsy.model.AnalysisReport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several formats as one renderer: each part writes its own file into the same target, in the
 * order given. Each part reads the flows on its own, so no format holds another's data, and the parts
 * of a {@link #concurrent} renderer run at once, one thread each; those that read every flow share
 * the decoding of each flow ({@link SharedFlows}).
 */
public final class MultiRenderer implements ReportRenderer {
    private final List<ReportRenderer> parts;
    private final boolean concurrent;

    public MultiRenderer(List<ReportRenderer> parts) {
        this(parts, false);
    }

    private MultiRenderer(List<ReportRenderer> parts, boolean concurrent) {
        this.parts = List.copyOf(parts);
        this.concurrent = concurrent;
    }

    /**
     * The parts rendered at the same time, each on its own thread (the model is immutable and every
     * part iterates the flows on its own): for a target that takes opens from several threads, such
     * as {@link ReportTarget#directory}.
     */
    public static MultiRenderer concurrent(List<ReportRenderer> parts) {
        return new MultiRenderer(parts, true);
    }

    public List<ReportRenderer> parts() {
        return parts;
    }

    @Override
    public String fileName() {
        return String.join(",", parts.stream().map(ReportRenderer::fileName).toList());
    }

    @Override
    public void render(AnalysisReport report, ReportTarget target) throws IOException {
        if (!concurrent || parts.size() < 2) {
            for (ReportRenderer part : parts) {
                part.render(report, target);
            }
            return;
        }
        int full = (int) parts.stream().filter(ReportRenderer::readsEveryFlow).count();
        AnalysisReport shared = full >= 2 ? SharedFlows.over(report, full) : report;
        List<Thread> others = new ArrayList<>();
        Throwable[] failures = new Throwable[parts.size()];
        for (int i = 1; i < parts.size(); i++) {
            ReportRenderer part = parts.get(i);
            int k = i;
            Thread t = new Thread(() -> {
                try {
                    part.render(part.readsEveryFlow() ? shared : report, target);
                } catch (IOException | RuntimeException | Error e) {
                    failures[k] = e;
                }
            }, "tcpautopsy-render " + part.fileName());
            t.start();
            others.add(t);
        }
        try {
            parts.get(0).render(parts.get(0).readsEveryFlow() ? shared : report, target);
        } catch (IOException | RuntimeException | Error e) {
            failures[0] = e;
        }
        boolean interrupted = false;
        for (Thread t : others) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable f : failures) {
            if (f instanceof IOException e) {
                throw e;
            }
            if (f instanceof RuntimeException e) {
                throw e;
            }
            if (f instanceof Error e) {
                throw e;
            }
        }
    }
}
