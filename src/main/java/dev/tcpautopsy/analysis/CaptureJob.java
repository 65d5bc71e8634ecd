package dev.tcpautopsy.analysis;

import dev.tcpautopsy.capture.CaptureFormatException;
import dev.tcpautopsy.capture.CaptureLimits;
import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.decode.PacketDecoder;
import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.flow.FlowSettings;
import dev.tcpautopsy.flow.FlowTracker;
import dev.tcpautopsy.flow.HostTable;
import dev.tcpautopsy.flow.ShardedTracker;
import dev.tcpautopsy.model.CaptureError;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.FlowSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Analyzes one capture (one file, standard input, or several files merged into one): read, decode,
 * track, judge, and build its {@link CaptureReport}. Damage stops the reading, never the report: what
 * was read before it is analyzed and the report names the file and byte offset.
 */
final class CaptureJob {
    private static final int PROGRESS_EVERY = 1 << 16;

    private final List<Input> inputs;
    private final Settings settings;
    private final Progress progress;
    private final InputStream stdin;
    /** Records read so far, the earliest and latest timestamps, and the bytes reported for progress. */
    private long records, first = Long.MAX_VALUE, last = Long.MIN_VALUE, reported;

    /**
     * What every capture of one analysis shares.
     *
     * @param threads  the threads one capture's analysis uses
     * @param trackers with {@link Threads#READ_AND_JUDGE_APART}, the threads that track its connections
     */
    record Settings(AnalysisOptions options, AnalysisLimits limits, Verdicts verdicts, TempFiles temp, AtomicLong inMemory,
                    Threads threads, int trackers) {
        FlowSettings flow() {
            return limits.flow();
        }
    }

    /**
     * The threads of one capture's analysis, from the processors and the captures analyzed at once.
     *
     * <p>Why reading gets a thread of its own only from three processors a capture: on two, the
     * capture's thread and the judging thread already keep both busy (with the compiler and the
     * collector), and handing decoded segments across costs more than it overlaps
     * (bench/results/design-choices.md).
     */
    enum Threads {
        /** Reading, decoding, tracking and judging on the capture's thread. */
        ONE,
        /** Finished connections judged on a thread of their own (see {@link FlowTracker}). */
        JUDGE_APART,
        /** And reading and decoding on another ({@link DecodeAhead}), so three threads a capture. */
        READ_AND_JUDGE_APART;

        static Threads of(int processors, int atOnce) {
            if (processors >= 3 * atOnce) {
                return READ_AND_JUDGE_APART;
            }
            return atOnce < processors ? JUDGE_APART : ONE;
        }

        /**
         * The threads that track one capture's connections: the processors left to the capture once reading
         * and judging have one each, at most {@link FlowTracker#PARTITIONS}.
         */
        static int trackers(int processors, int atOnce) {
            return Math.max(1, Math.min(FlowTracker.PARTITIONS, processors / Math.max(1, atOnce) - 2));
        }

        /**
         * Tracking threads from which a plain capture file is read a buffer ahead on a thread of its own too:
         * from 8 processors a capture, reading and decoding the file is the longest stage and the cores have
         * room for one more thread; with fewer, the run is bound by its CPU and the thread only adds to it
         * (bench/results/design-choices.md).
         */
        static final int READ_AHEAD_TRACKERS = 6;
    }

    CaptureJob(List<Input> inputs, Settings settings, Progress progress, InputStream stdin) {
        this.inputs = List.copyOf(inputs);
        this.settings = settings;
        this.progress = progress;
        this.stdin = stdin;
    }

    String name() {
        List<String> names = new ArrayList<>();
        for (Input i : inputs) {
            names.add(i.name());
        }
        return String.join(", ", names);
    }

    CaptureReport run() {
        String name = name();
        HostTable hosts = new HostTable(1 << 16);
        FlowStore store = new FlowStore(settings.inMemory(), settings.limits().minRun(), settings.temp());
        SummaryBuilder summary = new SummaryBuilder(1 << 14, 4096, 20);
        DetailRule details = new DetailRule(settings.options().detailStream(), settings.limits().detailsPerClass());
        boolean sharded = settings.threads() == Threads.READ_AND_JUDGE_APART && settings.trackers() > 1;
        // with cores for tracking threads, judging is the one thread left: its second half gets one more; with a
        // thread for judging apart, the second half gets one once the capture is read
        FlowPipeline pipeline = new FlowPipeline(settings.verdicts(), hosts, ReportFilter.of(settings.options()), store,
                summary, new HeaderDumps(), details, settings.limits().maxDeferred(), settings.limits().deferNanos(),
                settings.threads() != Threads.ONE ? "tcpautopsy-store " + name : null, !sharded);
        ShardedTracker shards = sharded ? new ShardedTracker(settings.flow(), pipeline, hosts, settings.trackers(),
                settings.limits().decodeQueued(), "tcpautopsy-judge " + name) : null;
        FlowTracker tracker = sharded ? null : settings.threads() != Threads.ONE
                ? new FlowTracker(settings.flow(), pipeline, hosts, "tcpautopsy-judge " + name)
                : new FlowTracker(settings.flow(), pipeline, hosts);
        PacketDecoder decoder = new PacketDecoder();
        PacketRecord rec = new PacketRecord();
        CaptureReader reader = null;
        CaptureError error = null;
        try {
            reader = open();
            if (sharded) {
                readSharded(reader, decoder, shards, rec, name);
            } else if (settings.threads() == Threads.READ_AND_JUDGE_APART) {
                readAhead(reader, decoder, tracker, rec, name);
            } else {
                read(reader, decoder, tracker, rec);
            }
        } catch (CaptureFormatException e) {
            error = new CaptureError(name + ": " + e.getMessage(), e.offset());
        } catch (IOException | UncheckedIOException e) {
            error = new CaptureError(name + ": " + describe(e), -1);
        } catch (RuntimeException e) {
            // a bug of ours on some packet: report it like damage, keep what was analyzed before it
            error = internalError(name, "at frame " + rec.frame, e, rec.fileOffset);
        }
        if (reader instanceof MergedReader m && !m.errors().isEmpty() && error == null) {
            String more = m.errors().size() > 1 ? " (and " + (m.errors().size() - 1) + " more damaged pieces)" : "";
            error = new CaptureError(m.errors().get(0) + more, m.firstErrorOffset());
        }
        pipeline.read();
        FlowSet flows;
        try {
            long end = last == Long.MIN_VALUE ? 0 : last;
            if (sharded) {
                shards.finish(end);
                RuntimeException late = shards.lateFailure();
                if (late != null && error == null) {
                    // as on the capture's thread: a bug of ours on some packet, reported like damage
                    long frame = shards.failedFrame();
                    error = internalError(name, frame > 0 ? "at frame " + frame : "at the end of the capture", late, -1);
                }
            } else {
                tracker.finish(end);
            }
            flows = pipeline.finish();
        } catch (IOException | UncheckedIOException e) {
            // the temporary space for the flow set failed: report the capture without its flows
            error = error != null ? error : new CaptureError(name + ": cannot keep the flows: " + describe(e), -1);
            flows = FlowSet.of(List.of());
        }
        String format = null;
        boolean compressed = false;
        long bytes = -1;
        if (reader != null) {
            format = reader.format();
            compressed = reader.compressed();
            long b = reader.bytesRead();
            progress.add(b - reported, records & (PROGRESS_EVERY - 1));
            bytes = storedSize(b);
            close(reader);
        }
        Instant firstTs = records == 0 ? null : FlowEncoding.instant(first);
        Instant lastTs = records == 0 ? null : FlowEncoding.instant(last);
        return new CaptureReport(name, format, compressed, bytes, records, firstTs, lastTs, decoder.linkTypes(),
                decoder.stats(), hosts.vantage(), error, summary.build(), flows, pipeline.findings());
    }

    /** The hot loop, a method of its own so that it is compiled as a whole rather than replaced on stack. */
    private void read(CaptureReader reader, PacketDecoder decoder, FlowTracker tracker, PacketRecord rec)
            throws IOException {
        TcpSegment seg = new TcpSegment();
        long n = records, lo = first, hi = last;
        try {
            while (reader.next(rec)) {
                n++;
                long ts = rec.tsNanos;
                if (ts < lo) {
                    lo = ts;
                }
                if (ts > hi) {
                    if (hi != Long.MIN_VALUE && ts - hi > FlowTracker.CAPTURE_GAP_NANOS) {
                        tracker.pieceEnd(hi);
                    }
                    hi = ts;
                }
                if (decoder.decode(rec, seg)) {
                    tracker.accept(seg);
                }
                if ((n & (PROGRESS_EVERY - 1)) == 0) {
                    long b = reader.bytesRead();
                    progress.add(b - reported, PROGRESS_EVERY);
                    reported = b;
                }
            }
        } finally {
            records = n;
            first = lo;
            last = hi;
        }
    }

    /**
     * The same loop with reading and decoding on a thread of their own ({@link DecodeAhead}): when
     * cores are free, tracking runs while the next records are read and decoded.
     */
    private void readAhead(CaptureReader reader, PacketDecoder decoder, FlowTracker tracker, PacketRecord rec,
                           String name) throws IOException {
        DecodeAhead ahead = new DecodeAhead(reader, decoder, settings.flow().headerBytes(), settings.flow().payload(),
                settings.limits().decodeBatch(), settings.limits().decodeQueued(), progress, name);
        boolean ended = false;
        try {
            while (true) {
                DecodeAhead.Batch b = ahead.next();
                for (int i = 0; i < b.pieces; i++) {
                    tracker.pieceEnd(b.pieceEnds[i]);
                }
                for (int i = 0; i < b.size; i++) {
                    TcpSegment s = ahead.segment(b, i);
                    // where the analysis is, should it fail on this segment
                    rec.frame = s.frame;
                    rec.fileOffset = b.fileOffset[i];
                    tracker.accept(s);
                }
                if (b.last) {
                    ended = true;
                    failureOf(b, rec);
                    return;
                }
                ahead.release(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading", e);
        } finally {
            doneReading(ahead, ended);
        }
    }

    /**
     * Reading and decoding on a thread of their own ({@link DecodeAhead}), the connections tracked on
     * several ({@link ShardedTracker}): this thread hands the batches on.
     */
    private void readSharded(CaptureReader reader, PacketDecoder decoder, ShardedTracker shards, PacketRecord rec,
                             String name) throws IOException {
        // a batch goes back once the slowest tracking thread is done with it, which may have as many
        // waiting as the reading thread has ahead: twice as many go round, whatever the threads
        int batches = 2 * settings.limits().decodeQueued() + 2;
        DecodeAhead ahead = new DecodeAhead(reader, decoder, settings.flow().headerBytes(), settings.flow().payload(),
                true, settings.limits().decodeBatch(), batches, progress, name);
        boolean ended = false;
        try {
            while (true) {
                // the tracking threads give each batch back once done with it, maybe before accept returns
                DecodeAhead.Batch last = ahead.handOn(b -> {
                    try {
                        shards.accept(b);
                    } catch (RuntimeException e) {
                        rec.frame = shards.failedFrame();
                        rec.fileOffset = -1;
                        throw e;
                    }
                });
                if (last != null) {
                    ended = true;
                    failureOf(last, rec);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading", e);
        } finally {
            doneReading(ahead, ended);
        }
    }

    /** Throws what stopped the reading thread in its last batch {@code b}, if anything, where it happened. */
    private static void failureOf(DecodeAhead.Batch b, PacketRecord rec) throws IOException {
        if (b.failure != null) {
            rec.frame = b.failFrame;
            rec.fileOffset = b.failOffset;
            rethrow(b.failure);
        }
    }

    /** After reading ahead, ended or not: the reading thread stopped, and its counters taken. */
    private void doneReading(DecodeAhead ahead, boolean ended) {
        if (!ended) {
            ahead.close();
        }
        records = ahead.records;
        first = ahead.first;
        last = ahead.last;
        reported = ahead.reported;
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    private CaptureReader open() throws IOException {
        if (inputs.size() == 1) {
            // a processor to spare decompresses ahead; not for the pieces of a merged capture, all open at once
            return open(inputs.get(0), settings.threads() != Threads.ONE,
                    settings.threads() == Threads.READ_AND_JUDGE_APART && settings.trackers() >= Threads.READ_AHEAD_TRACKERS);
        }
        List<CaptureReader> readers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long firstOffset = -1;
        for (Input i : inputs) {
            try {
                readers.add(open(i, false, false));
                names.add(i.name());
            } catch (CaptureFormatException e) {
                failures.add(i.name() + ": " + e.getMessage());
                firstOffset = firstOffset < 0 ? e.offset() : firstOffset;
            } catch (IOException e) {
                failures.add(i.name() + ": " + describe(e));
            }
        }
        MergedReader m = new MergedReader(names, readers);
        m.errors().addAll(0, failures);
        return m;
    }

    private CaptureReader open(Input i, boolean spareProcessor, boolean plainToo) throws IOException {
        if (i.isStdin()) {
            return Captures.open(stdin);
        }
        return Captures.open(i.path(), CaptureLimits.DEFAULT, spareProcessor, plainToo);
    }

    /** The size as stored: the file's, or what was read from standard input. */
    private long storedSize(long read) {
        long total = 0;
        for (Input i : inputs) {
            if (i.isStdin()) {
                total += read;
                continue;
            }
            try {
                total += Files.size(i.path());
            } catch (IOException e) {
                // unreadable: counted as nothing
            }
        }
        return inputs.size() == 1 && inputs.get(0).isStdin() ? read : total;
    }

    /** A bug of ours, reported like damage: where it happened, the failure, the byte offset where known (-1: not). */
    private static CaptureError internalError(String name, String where, RuntimeException e, long offset) {
        return new CaptureError(name + ": " + where + ": internal error (" + e + ")", offset);
    }

    static String describe(Exception e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof NoSuchFileException) {
            return "no such file";
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static void close(CaptureReader r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // everything was read already
        }
    }
}
