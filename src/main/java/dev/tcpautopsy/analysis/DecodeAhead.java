package dev.tcpautopsy.analysis;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.decode.PacketDecoder;
import dev.tcpautopsy.decode.TcpSegment;
import dev.tcpautopsy.flow.FlowTracker;
import dev.tcpautopsy.flow.ShardedTracker;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Reading and decoding on a thread of their own: it fills batches of decoded segments, each with a
 * copy of the header bytes flow tracking may keep as evidence and, when the applications' messages are
 * read, of the captured payload, while the capture's thread tracks the
 * previous batch. The batches (and their segments) are allocated once and go round between the two
 * threads through two small queues, so nothing is allocated per packet; the segments reach flow
 * tracking in capture order, exactly as when one thread does both.
 *
 * <p>Calling order, on the capture's thread: {@link #next} until it returns a batch marked
 * {@code last}, {@link #release} after each (or {@link #handOn} until it returns the last batch), then the
 * counters; {@link #close} in any case.
 */
final class DecodeAhead implements AutoCloseable {
    private static final int PROGRESS_EVERY = 1 << 16;
    /**
     * Payload bytes after which a batch is handed on before it is full: segments of 64 KB (a capture of
     * offloaded segments) would otherwise make each batch megabytes.
     */
    static final int BATCH_BYTES = 1 << 20;

    /** Decoded segments of consecutive records, with what tracking reads of each record. */
    final class Batch implements ShardedTracker.Batch {
        final TcpSegment[] segments;
        /**
         * Segment i's header bytes at {@code start[i]}, {@code headerLength[i]} of them, then its captured
         * payload when it is copied; grows to the largest batch seen.
         */
        byte[] bytes;
        int used;
        final int[] start;
        final int[] headerLength;
        /** Segment i's partition of the 4-tuples ({@link FlowTracker#partition}), when the reader works them out. */
        final int[] partitions;
        final long[] fileOffset;
        int size;
        /** Capture ends found while filling it: the record times before silences of the whole capture. */
        final long[] pieceEnds = new long[4];
        int pieces;
        /** The reading thread's last batch: the capture ended, or {@link #failure} stopped it. */
        boolean last;
        Throwable failure;
        long failFrame, failOffset;

        @Override
        public int size() {
            return size;
        }

        @Override
        public TcpSegment peek(int i) {
            return segments[i];
        }

        @Override
        public TcpSegment segment(int i) {
            return DecodeAhead.this.segment(this, i);
        }

        @Override
        public int partition(int i) {
            return partitions[i];
        }

        @Override
        public int pieces() {
            return pieces;
        }

        @Override
        public long pieceEnd(int k) {
            return pieceEnds[k];
        }

        @Override
        public void release() {
            DecodeAhead.this.release(this);
        }

        Batch(int size, int headerBytes) {
            segments = new TcpSegment[size];
            start = new int[size];
            headerLength = new int[size];
            partitions = new int[size];
            fileOffset = new long[size];
            bytes = new byte[size * headerBytes];
            for (int i = 0; i < size; i++) {
                segments[i] = new TcpSegment();
            }
        }
    }

    private final CaptureReader reader;
    private final PacketDecoder decoder;
    private final int headerBytes;
    private final boolean payload;
    /** Whether each segment's partition is worked out here (several tracking threads read the batches). */
    private final boolean partitions;
    private final Progress progress;
    private final BlockingQueue<Batch> full;
    private final BlockingQueue<Batch> free;
    private final Thread thread;
    private volatile boolean stopped;
    // written by the reading thread; read after its last batch
    long records, first = Long.MAX_VALUE, last = Long.MIN_VALUE, reported;

    /**
     * @param batch   segments a batch holds
     * @param batches batches in all (the reading thread's lead)
     * @param payload copy each segment's captured payload too
     */
    DecodeAhead(CaptureReader reader, PacketDecoder decoder, int headerBytes, boolean payload, int batch, int batches,
                Progress progress, String name) {
        this(reader, decoder, headerBytes, payload, false, batch, batches, progress, name);
    }

    /** @param partitions work out each segment's partition of the 4-tuples ({@link Batch#partition}) */
    DecodeAhead(CaptureReader reader, PacketDecoder decoder, int headerBytes, boolean payload, boolean partitions,
                int batch, int batches, Progress progress, String name) {
        this.partitions = partitions;
        this.reader = reader;
        this.decoder = decoder;
        this.headerBytes = headerBytes;
        this.payload = payload;
        this.progress = progress;
        full = new ArrayBlockingQueue<>(batches);
        free = new ArrayBlockingQueue<>(batches);
        for (int i = 0; i < batches; i++) {
            free.add(new Batch(batch, headerBytes));
        }
        thread = new Thread(this::run, "tcpautopsy-read " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The next batch, in capture order (blocks until the reading thread has filled it). */
    Batch next() throws InterruptedException {
        return full.take();
    }

    /**
     * Hands the next batch, in capture order, to {@code onward}, which gives it back ({@link Batch#release})
     * once done with it, on any thread and maybe before {@code onward} returns; returns it when it was the
     * reading thread's last, else null. Whether it was the last is read before it is handed on: a batch given
     * back may be filled again at once, with the capture's final records, and marked last, and taking it
     * for the end then would drop the batches still queued. The last batch stays as it is (the reading
     * thread is done), so its failure can be read after.
     */
    Batch handOn(Consumer<Batch> onward) throws InterruptedException {
        Batch b = full.take();
        boolean last = b.last;
        onward.accept(b);
        return last ? b : null;
    }

    void release(Batch b) {
        free.add(b);
    }

    /**
     * Segment {@code i} of {@code b}, pointed at its copies in the batch, so that flow tracking keeps the
     * same header bytes, and reads the same payload, as it would from the record itself.
     */
    TcpSegment segment(Batch b, int i) {
        TcpSegment s = b.segments[i];
        s.buf = b.bytes;
        s.hdrOff = b.start[i];
        s.hdrLen = b.headerLength[i];
        s.payloadOff = s.hdrOff + s.hdrLen;
        if (!payload) {
            s.payloadCapLen = 0;
        }
        return s;
    }

    private void run() {
        PacketRecord rec = new PacketRecord();
        Batch b = null;
        long n = 0, lo = Long.MAX_VALUE, hi = Long.MIN_VALUE, done = 0;
        try {
            b = take();
            while (!stopped && reader.next(rec)) {
                n++;
                long ts = rec.tsNanos;
                lo = Math.min(lo, ts);
                if (ts > hi) {
                    if (hi != Long.MIN_VALUE && ts - hi > FlowTracker.CAPTURE_GAP_NANOS) {
                        if (b.pieces == b.pieceEnds.length) {
                            full.put(b);
                            b = take();
                        }
                        b.pieceEnds[b.pieces++] = hi;
                    }
                    hi = ts;
                }
                TcpSegment s = b.segments[b.size];
                if (decoder.decode(rec, s)) {
                    copy(rec, s, b);
                    b.fileOffset[b.size] = rec.fileOffset;
                    if (++b.size == b.segments.length || b.used > BATCH_BYTES) {
                        full.put(b);
                        b = take();
                    }
                }
                if ((n & (PROGRESS_EVERY - 1)) == 0) {
                    long read = reader.bytesRead();
                    progress.add(read - done, PROGRESS_EVERY);
                    done = read;
                }
            }
        } catch (Throwable t) {
            if (b == null) {
                b = new Batch(0, 0);
            }
            b.failure = t;
            b.failFrame = rec.frame;
            b.failOffset = rec.fileOffset;
        }
        records = n;
        first = lo;
        last = hi;
        reported = done;
        b.last = true;
        try {
            full.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What tracking reads of the record: its bytes up to the payload, at most headerBytes, then the payload. */
    private void copy(PacketRecord rec, TcpSegment s, Batch b) {
        int len = Math.max(0, Math.min(s.hdrLen, headerBytes));
        int pay = payload ? s.payloadCapLen : 0;
        if (b.used + len + pay > b.bytes.length) {
            b.bytes = Arrays.copyOf(b.bytes, Math.max(b.bytes.length * 2, b.used + len + pay));
        }
        System.arraycopy(rec.buf, rec.off, b.bytes, b.used, len);
        if (pay > 0) {
            System.arraycopy(rec.buf, s.payloadOff, b.bytes, b.used + len, pay);
        }
        b.start[b.size] = b.used;
        b.headerLength[b.size] = len;
        if (partitions) {
            // once here, rather than by every tracking thread that looks at the segment
            b.partitions[b.size] = FlowTracker.partition(s);
        }
        b.used += len + pay;
    }

    private Batch take() throws InterruptedException {
        Batch b = free.take();
        b.size = 0;
        b.used = 0;
        b.pieces = 0;
        b.last = false;
        b.failure = null;
        return b;
    }

    /** Stops the reading thread (when tracking failed) and waits for it. */
    @Override
    public void close() {
        stopped = true;
        while (thread.isAlive()) {
            // it may be blocked waiting for a free batch, or on a full queue: keep both moving
            Batch b = full.poll();
            if (b != null && !b.last) {
                free.offer(b);
            }
            try {
                thread.join(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
