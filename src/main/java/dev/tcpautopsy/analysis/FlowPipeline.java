package dev.tcpautopsy.analysis;

import dev.tcpautopsy.findings.Findings;
import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.FlowListener;
import dev.tcpautopsy.flow.HostContext;
import dev.tcpautopsy.flow.PacketHeaders;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.flow.Relay;
import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.FlowEncoder;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * What happens to each finished connection of one capture: its verdict (now, or up to
 * {@code deferNanos} of capture time later when it rests on other flows: TTL baselines of a host,
 * where the capture was taken), the report's filters, details (transitions, last packets,
 * header dumps) for the flows the {@link DetailRule} picks, the summary, and the flow set. Every flow feeds the host baselines before any filter
 * (the tracker does that), so filters change what is reported, never a verdict.
 */
final class FlowPipeline implements FlowListener {
    private final Verdicts verdicts;
    private final HostContext hosts;
    private final ReportFilter filter;
    private final FlowStore store;
    private final SummaryBuilder summary;
    private final HeaderDumps dumps;
    private final DetailRule details;
    private final int maxDeferred;
    private final long deferNanos;
    private final Amendments amendments = new Amendments();
    private final FlowEncoder encoder = new FlowEncoder();
    /** What went wrong across the connections: every judged flow, before the filters. */
    private final Findings findings = new Findings();
    private final Bursts bursts = new Bursts(amendments, findings);
    private List<Finding> found = List.of();
    /** Flows whose verdict waits for other flows, in the order they were handed on. */
    private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();
    /** The latest capture time a flow was handed on at. */
    private long now = Long.MIN_VALUE;

    private record Deferred(FlowFacts facts, PacketHeaders headers) {
    }

    /** A judged flow on its way to the summaries and the store: its verdict, and with its details when kept. */
    private record Judged(FlowFacts facts, Termination verdict, Termination reported, boolean kept, boolean detailed) {
    }

    /**
     * The second half of judging on a thread of its own (chunks of 64 verdicts, at most 8 waiting), or null
     * while it follows the first on the same thread: used by the thread that judges, then by {@link #finish}.
     */
    private Relay<Judged> later;
    /**
     * Each kept flow encoded and stored on a thread of its own, in the same order, or null when {@link #after}
     * does it: with tracking threads, judging's second half was what a capture of many short connections
     * waited for, and encoding and storing were most of it.
     */
    private final Relay<Judged> storing;
    /** The name of {@link #later}'s thread when it starts only once the capture is read, else null. */
    private final String onceRead;
    /** Set by the reading thread when the last packet is read. */
    private volatile boolean read;

    /**
     * @param maxDeferred flows whose verdict may wait at once
     * @param deferNanos  how long (capture time) such a verdict waits for the other flows of the capture
     */
    FlowPipeline(Verdicts verdicts, HostContext hosts, ReportFilter filter, FlowStore store, SummaryBuilder summary,
                 HeaderDumps dumps, DetailRule details, int maxDeferred, long deferNanos) {
        this(verdicts, hosts, filter, store, summary, dumps, details, maxDeferred, deferNanos, null, false);
    }

    /**
     * @param laterThread when not null, the name of a thread of its own for what follows each verdict (the
     *                    bursts, findings, summary, encoding and the store): the order of the flows is kept,
     *                    and the verdicts go on while the flows before are encoded; unless {@code onceRead},
     *                    encoding and storing get one more thread, the name's "store" read "encode"
     * @param onceRead    whether that thread starts only once the capture is read ({@link #read}): with a
     *                    processor for reading and one for judging, what is judged after the last packet (the
     *                    connections still open then, tens of thousands in a capture of many short ones, and
     *                    those queued) had the reading thread's processor idle beside it
     */
    FlowPipeline(Verdicts verdicts, HostContext hosts, ReportFilter filter, FlowStore store, SummaryBuilder summary,
                 HeaderDumps dumps, DetailRule details, int maxDeferred, long deferNanos, String laterThread,
                 boolean onceRead) {
        this.verdicts = verdicts;
        this.hosts = hosts;
        this.filter = filter;
        this.store = store;
        this.summary = summary;
        this.dumps = dumps;
        this.details = details;
        this.maxDeferred = maxDeferred;
        this.deferNanos = deferNanos;
        this.onceRead = onceRead ? laterThread : null;
        boolean fromStart = laterThread != null && !onceRead;
        this.later = fromStart ? relay(laterThread, this::after, "judging") : null;
        this.storing = fromStart ? relay(laterThread.replace("store", "encode"), this::store, "storing flows") : null;
    }

    /** A thread named {@code thread} that takes the judged flows given to it, in order, to {@code each}. */
    private static Relay<Judged> relay(String thread, Consumer<Judged> each, String doing) {
        return new Relay<>(thread, 64, 8, chunk -> {
            for (Object j : chunk) {
                each.accept((Judged) j);
            }
        }, doing);
    }

    /** On the reading thread: the last packet is read (or reading stopped). */
    void read() {
        read = true;
    }

    @Override
    public void finished(FlowFacts facts, PacketHeaders headers) {
        if (facts.client().packets() + facts.server().packets() == 0) {
            // only ever seen quoted inside ICMP errors: a stream number, but no connection to report
            return;
        }
        if (facts.captureEndNanos() > now) {
            now = facts.captureEndNanos();
            // those that waited long enough: the host baselines they rest on have had their chance
            while (!deferred.isEmpty() && deferred.peek().facts().captureEndNanos() <= now - deferNanos) {
                Deferred d = deferred.poll();
                report(d.facts(), d.headers());
            }
        }
        if (maxDeferred > 0 && verdicts.needsWholeCapture(facts, hosts)) {
            if (deferred.size() >= maxDeferred) {
                Deferred d = deferred.poll();
                report(d.facts(), d.headers());
            }
            deferred.add(new Deferred(facts, details.mayKeep(facts.stream()) ? headers.snapshot() : PacketHeaders.NONE));
            return;
        }
        report(facts, headers);
    }

    @Override
    public void reusedLater(long stream) {
        amendments.reusedLater(stream);
    }

    /** Judges the flows still waiting (in stream order) and returns the capture's flows. */
    FlowSet finish() throws IOException {
        List<Deferred> left = new ArrayList<>(deferred);
        left.sort(Comparator.comparingLong(d -> d.facts().stream()));
        deferred.clear();
        for (Deferred d : left) {
            report(d.facts(), d.headers());
        }
        if (later != null) {
            later.finish();
        }
        if (storing != null) {
            storing.finish();
        }
        bursts.finish();
        found = findings.finish();
        return store.finish(amendments);
    }

    /** The capture's findings, once {@link #finish} has run. */
    List<Finding> findings() {
        return found;
    }

    /** The verdict and what rests on the packets' headers, which are the connection's only until this returns. */
    private void report(FlowFacts facts, PacketHeaders headers) {
        Termination t = verdict(facts);
        boolean kept = filter.keeps(facts, t.cls());
        boolean detailed = kept && details.keep(facts.stream(), t.cls());
        Judged j = new Judged(facts, t, detailed ? dumps.withDumps(t, headers) : t, kept, detailed);
        if (later == null && onceRead != null && read) {
            // every flow before this one went through after() on this thread: the order stays
            later = relay(onceRead, this::after, "judging");
        }
        if (later != null) {
            later.add(j);
        } else {
            after(j);
        }
    }

    /** What follows the verdict, in the order of the verdicts. */
    private void after(Judged j) {
        FlowFacts facts = j.facts();
        Termination t = j.verdict();
        bursts.add(facts, t);
        findings.add(facts, t);
        if (filter.active()) {
            summary.judged(t.cls());
        }
        if (!j.kept()) {
            return;
        }
        t = j.reported();
        SideFacts c = facts.client(), s = facts.server();
        summary.add(t.cls(), t.by(), c.ip(), s.ip(), s.port(), facts.endNanos());
        if (storing != null) {
            storing.add(j);
        } else {
            store(j);
        }
    }

    /** A kept flow encoded, as reported, into the store. */
    private void store(Judged j) {
        try {
            store.add(FlowEncoding.encode(encoder, j.facts(), j.reported(), j.detailed(), AppContexts.of(j.facts().app())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A classifier failure is one flow's problem, never the capture's: it is reported as such. */
    private Termination verdict(FlowFacts facts) {
        try {
            Termination t = verdicts.classify(facts, hosts);
            if (t == null) {
                throw new IllegalStateException("no termination returned");
            }
            return t;
        } catch (RuntimeException e) {
            return new Termination(TerminationClass.UNCLASSIFIED, By.UNKNOWN,
                    "no verdict: the classifier failed on this flow (" + e + ")", "tcp.stream eq " + facts.stream(),
                    List.of(new Evidence(facts.lastFrame(), "last frame")), List.of(), new AppView("none", "none"));
        }
    }
}
