package dev.tcpautopsy.app;

import dev.tcpautopsy.decode.TcpSegment;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What the tracker costs per segment: captures are read into memory first (payloads, directions,
 * relative sequence numbers, the segment that ends each connection), then fed to pooled trackers
 * (facts made and the tracker reset when a connection ends), timed in thread CPU time so that other
 * processes on the machine weigh less. Also the heap one tracker holds.
 *
 * <p>{@code java -cp ... dev.tcpautopsy.app.AppBench CAPTURE...}
 */
final class AppBench {
    /** {@code -Dbaseline=true}: the same loop without the tracker's work, to subtract. */
    private static final boolean BASELINE = Boolean.getBoolean("baseline");

    private AppBench() {
    }

    /** Segments with payload or FIN/RST, in capture order, as arrays. */
    static final class Segments {
        int n;
        int[] flow = new int[1 << 16], off = new int[1 << 16], len = new int[1 << 16], wire = new int[1 << 16];
        long[] rel = new long[1 << 16], frame = new long[1 << 16];
        byte[] dir = new byte[1 << 16]; // bit 0 client, bit 1 FIN, bit 2 RST, bit 3 the connection's last segment
        byte[] bytes = new byte[1 << 20];
        int used, flows;

        void add(int f, boolean client, long fr, long r, byte[] b, int o, int l, int w, int flags) {
            if (n == flow.length) {
                int c = n * 2;
                flow = Arrays.copyOf(flow, c);
                off = Arrays.copyOf(off, c);
                len = Arrays.copyOf(len, c);
                wire = Arrays.copyOf(wire, c);
                rel = Arrays.copyOf(rel, c);
                frame = Arrays.copyOf(frame, c);
                dir = Arrays.copyOf(dir, c);
            }
            while (used + l > bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            System.arraycopy(b, o, bytes, used, l);
            flow[n] = f;
            off[n] = used;
            len[n] = l;
            wire[n] = w;
            rel[n] = r;
            frame[n] = fr;
            dir[n] = (byte) ((client ? 1 : 0) | flags);
            used += l;
            n++;
        }
    }

    /** Appends the segments of {@code file} to {@code s}, its connections numbered after those already there. */
    static Segments load(Segments s, Path file) throws Exception {
        Map<CaptureFeed.Flow, int[]> ids = new IdentityHashMap<>(); // a connection's number and its last segment
        CaptureFeed.read(file, null, (f, fromClient, t, rel, buf) -> {
            int flags = (t.has(TcpSegment.FIN) ? 2 : 0) | (t.has(TcpSegment.RST) ? 4 : 0);
            if (t.payloadLen > 0 || flags != 0) {
                int[] id = ids.computeIfAbsent(f, k -> new int[] {s.flows++, 0});
                id[1] = s.n;
                s.add(id[0], fromClient, t.frame, rel, buf, t.payloadOff, t.payloadCapLen, t.payloadLen, flags);
            }
        });
        for (int[] id : ids.values()) {
            s.dir[id[1]] |= 8;
        }
        return s;
    }

    static void report(String name, Segments s) {
        int[] named = new int[1];
        java.util.List<Long> runs = new java.util.ArrayList<>();
        long spent = 0;
        while (spent < 2_000_000_000L || runs.size() < 5) {
            named[0] = 0;
            long t = run(s, named);
            runs.add(t);
            spent += t;
        }
        java.util.List<Long> late = new java.util.ArrayList<>(runs.subList(runs.size() / 2, runs.size())); // warmed up
        java.util.Collections.sort(late);
        System.out.printf("%s: %,d segments (%,d payload bytes), %,d connections, %,d named; median of %d warm runs: %.1f ns a segment%n",
                name, s.n, s.used, s.flows, named[0], late.size(), (double) late.get(late.size() / 2) / s.n);
    }

    /** Feeds every segment; returns thread CPU nanoseconds. */
    static long run(Segments s, int[] named) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AppTracker[] open = new AppTracker[s.flows];
        ArrayDeque<AppTracker> pool = new ArrayDeque<>();
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < s.n; i++) {
            int f = s.flow[i];
            AppTracker t = open[f];
            if (t == null) {
                t = pool.isEmpty() ? new AppTracker() : pool.pop();
                open[f] = t;
            }
            boolean c = (s.dir[i] & 1) != 0;
            if (BASELINE) {
                named[0] += (int) (s.rel[i] & 1) + s.bytes[s.off[i]]; // the loop and the memory it reads, no tracker
            } else if (s.wire[i] > 0) {
                t.onPayload(c, s.frame[i], s.rel[i], s.bytes, s.off[i], s.len[i], s.wire[i]);
            }
            if ((s.dir[i] & 6) != 0 && !BASELINE) {
                t.onClose(c, s.frame[i], (s.dir[i] & 4) != 0);
            }
            if ((s.dir[i] & 8) != 0) {
                named[0] += BASELINE || t.facts().protocol() == null ? 0 : 1;
                t.reset();
                pool.push(t);
                open[f] = null;
            }
        }
        return mx.getCurrentThreadCpuTime() - t0;
    }

    /**
     * {@code AppBench [--each] CAPTURE...}: the captures' segments fed as one series (with {@code --each},
     * each capture alone too), repeated until two seconds of CPU have been spent; the median run is reported.
     */
    public static void main(String[] args) throws Exception {
        boolean each = args.length > 0 && args[0].equals("--each");
        Segments all = new Segments();
        for (String a : Arrays.copyOfRange(args, each ? 1 : 0, args.length)) {
            if (each) {
                report(Path.of(a).getFileName().toString(), load(new Segments(), Path.of(a)));
            }
            load(all, Path.of(a));
        }
        report("all " + (args.length - (each ? 1 : 0)) + " captures", all);
        heap(false);
        heap(true);
    }

    /** The heap a tracker holds, fresh or after both sides carried payload. */
    private static void heap(boolean used) {
        Runtime rt = Runtime.getRuntime();
        AppTracker[] many = new AppTracker[200_000];
        byte[] get = "GET / HTTP/1.1\r\n\r\n".getBytes();
        byte[] ok = "HTTP/1.1 200 OK\r\n\r\n".getBytes();
        for (int k = 0; k < 3; k++) {
            System.gc();
        }
        long before = rt.totalMemory() - rt.freeMemory();
        for (int i = 0; i < many.length; i++) {
            many[i] = new AppTracker();
            if (used) {
                many[i].onPayload(true, 1, 0, get, 0, get.length, get.length);
                many[i].onPayload(false, 2, 0, ok, 0, ok.length, ok.length);
            }
        }
        for (int k = 0; k < 3; k++) {
            System.gc();
        }
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("heap a tracker, %s: %d bytes (%d trackers)%n", used ? "after payload both ways" : "fresh",
                (after - before) / many.length, many.length);
    }
}
