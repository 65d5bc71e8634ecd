package dev.tcpautopsy.analysis;

import dev.tcpautopsy.capture.CaptureFormatException;
import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.FrameBytes;
import dev.tcpautopsy.capture.PacketRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Several captures read as one, records in timestamp order, as {@code mergecap} merges them: on equal
 * timestamps the earlier input goes first, and frames are numbered in the merged order. A piece that
 * turns out damaged stops contributing at the damage; the others go on, and the damage is kept in
 * {@link #errors()} (the merged reader itself never throws for it).
 */
final class MergedReader implements CaptureReader {
    private final List<String> names;
    private final CaptureReader[] readers;
    private final PacketRecord[] pending;
    /** Min-heap of input indices with a pending record, by (timestamp, index). */
    private final int[] heap;
    private int heapSize;
    private long frame;
    private final List<String> errors = new ArrayList<>();
    private final List<Long> errorOffsets = new ArrayList<>();
    /** Each piece's reader of bytes again, as its records name it, and one that finds a record's piece by its place. */
    private final FrameBytes[] pieceFrames;
    private final FrameBytes frames;

    MergedReader(List<String> names, List<CaptureReader> readers) throws IOException {
        this.names = List.copyOf(names);
        this.readers = readers.toArray(new CaptureReader[0]);
        pending = new PacketRecord[this.readers.length];
        pieceFrames = new FrameBytes[this.readers.length];
        frames = (place, length) -> {
            FrameBytes f = pieceFrames[(int) (place >>> FrameBytes.OFFSET_BITS)];
            return f == null ? null : f.read(place & FrameBytes.OFFSET_MASK, length);
        };
        heap = new int[this.readers.length];
        for (int i = 0; i < this.readers.length; i++) {
            pending[i] = new PacketRecord();
            if (advance(i)) {
                push(i);
            }
        }
    }

    private boolean advance(int i) {
        try {
            return readers[i].next(pending[i]);
        } catch (CaptureFormatException e) {
            errors.add(names.get(i) + ": " + e.getMessage());
            errorOffsets.add(e.offset());
            return false;
        } catch (IOException e) {
            errors.add(names.get(i) + ": " + e.getMessage());
            errorOffsets.add(-1L);
            return false;
        }
    }

    @Override
    public boolean next(PacketRecord rec) {
        settle();
        if (heapSize == 0) {
            return false;
        }
        int i = heap[0];
        PacketRecord p = pending[i];
        rec.buf = p.buf;
        rec.off = p.off;
        rec.capLen = p.capLen;
        rec.wireLen = p.wireLen;
        rec.tsNanos = p.tsNanos;
        rec.linkType = p.linkType;
        rec.fileOffset = p.fileOffset;
        rec.interfaceId = p.interfaceId;
        if (p.frames == null || i >= FrameBytes.MAX_PIECES || p.dataAt < 0 || p.dataAt > FrameBytes.OFFSET_MASK) {
            rec.dataAt = -1;
            rec.frames = null;
        } else {
            if (pieceFrames[i] != p.frames) {
                pieceFrames[i] = p.frames;
            }
            rec.dataAt = (long) i << FrameBytes.OFFSET_BITS | p.dataAt;
            rec.frames = frames;
        }
        rec.frame = ++frame;
        // the caller is done with the previous record of input i, whose buffer the next read reuses;
        // the record handed out now stays valid until the next call, which is when input i advances
        pop();
        deferredAdvance = i;
        return true;
    }

    private int deferredAdvance = -1;

    /** Advances the input whose record was handed out last, before choosing the next one. */
    private void settle() {
        if (deferredAdvance >= 0) {
            int i = deferredAdvance;
            deferredAdvance = -1;
            if (advance(i)) {
                push(i);
            }
        }
    }

    private boolean less(int a, int b) {
        long ta = pending[a].tsNanos, tb = pending[b].tsNanos;
        return ta < tb || (ta == tb && a < b);
    }

    private void push(int i) {
        int k = heapSize++;
        heap[k] = i;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!less(heap[k], heap[parent])) {
                break;
            }
            swap(k, parent);
            k = parent;
        }
    }

    private void pop() {
        heap[0] = heap[--heapSize];
        int k = 0;
        while (true) {
            int l = 2 * k + 1, r = l + 1, m = k;
            if (l < heapSize && less(heap[l], heap[m])) {
                m = l;
            }
            if (r < heapSize && less(heap[r], heap[m])) {
                m = r;
            }
            if (m == k) {
                return;
            }
            swap(k, m);
            k = m;
        }
    }

    private void swap(int a, int b) {
        int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }

    /** One line per damaged piece, each naming the piece and the byte offset. */
    List<String> errors() {
        return errors;
    }

    long firstErrorOffset() {
        return errorOffsets.isEmpty() ? -1 : errorOffsets.get(0);
    }

    @Override
    public long bytesRead() {
        long n = 0;
        for (CaptureReader r : readers) {
            n += r.bytesRead();
        }
        return n;
    }

    @Override
    public String format() {
        Set<String> f = new LinkedHashSet<>();
        for (CaptureReader r : readers) {
            f.add(r.format());
        }
        return String.join("+", f);
    }

    @Override
    public boolean compressed() {
        for (CaptureReader r : readers) {
            if (r.compressed()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int[] linkTypes() {
        Set<Integer> all = new LinkedHashSet<>();
        for (CaptureReader r : readers) {
            for (int lt : r.linkTypes()) {
                all.add(lt);
            }
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (CaptureReader r : readers) {
            try {
                r.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
