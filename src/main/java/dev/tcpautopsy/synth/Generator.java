package dev.tcpautopsy.synth;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Arrays;

/**
 * Interleaves {@code concurrency} connections into one capture in time order and streams it out.
 *
 * <p>A min-heap of slots ordered by each connection's next planned packet picks what to write
 * next; a connection plans one phase at a time, and a finished one hands its slot (and its
 * arrays) to the next connection. Once the target size is reached no new connection starts,
 * the flows meant to be open at the end are started, and the capture is cut when the last flow
 * that ends by itself has ended: every flow's verdict is then known exactly.
 */
public final class Generator {
    static final int CLIENTS = 4096;
    static final int SERVERS = 16;
    private static final int[] SERVER_PORTS = {8081, 8443, 9090, 7443};
    /** Ephemeral ports tshark would hand to a protocol dissector (random payloads would look malformed). */
    private static final int[] RESERVED = {34980, 44321, 44322, 44818, 48049, 48898, 57000};
    private static final int[] FORGED_TTLS = {64, 126, 250};

    private final SynthParams p;
    private final Script script;
    private final FrameBuilder frames;
    private final Rng master;
    private final int[] nextPort = new int[CLIENTS];
    private final long[] serverRtt = new long[SERVERS];

    private Conn[] conns = new Conn[16];
    private int slots;
    private int[] heap = new int[16];
    private int heapSize;
    private long started;
    private long streams;
    private int finiteActive;
    private boolean draining;

    public Generator(SynthParams p) {
        this.p = p;
        this.script = new Script(p);
        this.master = new Rng(p.seed());
        this.frames = new FrameBuilder(new PayloadPattern(p.seed()), p.seed());
        for (int i = 0; i < CLIENTS; i++) {
            nextPort[i] = master.between(32768, 60999);
        }
        for (int i = 0; i < SERVERS; i++) {
            serverRtt[i] = (long) (master.logUniform(0.15, 60) * Conn.MS);
        }
    }

    /**
     * Writes the capture to {@code out} (not closed) and, when {@code flowTruth} is not null, one
     * truth line per flow to it.
     */
    public SynthResult write(OutputStream out, Writer flowTruth) throws IOException {
        CaptureSink sink = CaptureSink.of(p.format(), out, p.nanos());
        TruthLog truth = new TruthLog(flowTruth);
        truth.begin(p);
        long t0 = p.start().getEpochSecond() * Conn.SEC + p.start().getNano();
        for (int i = 0; i < p.concurrency(); i++) {
            Conn c = addSlot();
            start(c, t0 + (long) (master.exponential(p.profile().startGapMillis) * Conn.MS), false);
            push(c.slot);
        }
        long packets = 0;
        long frameBytes = 0;
        long first = Long.MIN_VALUE;
        long last = t0;
        while (heapSize > 0) {
            Conn c = conns[heap[0]];
            long t = c.q.headTime();
            if (c.stream < 0) {
                c.stream = streams++;
            }
            int off = sink.begin();
            int len = frames.write(c, sink.buf, off);
            sink.commit(t, len);
            packets++;
            frameBytes += len;
            c.packets++;
            c.last = t;
            if (first == Long.MIN_VALUE) {
                first = t;
            }
            last = t;
            c.q.pop();
            if (c.q.isEmpty() && !advance(c)) {
                truth.record(c);
                finiteActive--;
                if (draining) {
                    popTop();
                    if (finiteActive == 0) {
                        break;
                    }
                    continue;
                }
                start(c, t + (long) (master.exponential(p.profile().startGapMillis) * Conn.MS), false);
            }
            siftDown(0);
            if (draining && finiteActive == 0) {
                break;
            }
            if (!draining && ((p.targetBytes() > 0 && sink.bytes() >= p.targetBytes())
                    || (p.targetPackets() > 0 && packets >= p.targetPackets()))) {
                drain(t);
            }
        }
        // the cut: whatever is still open is open at the end of the capture
        boolean[] inHeap = new boolean[slots];
        for (int i = 0; i < heapSize; i++) {
            inHeap[heap[i]] = true;
        }
        for (int s = 0; s < slots; s++) {
            if (inHeap[s] && conns[s].stream >= 0) {
                truth.record(conns[s]);
            }
        }
        sink.finish();
        return new SynthResult(packets, sink.bytes(), frameBytes, streams, first == Long.MIN_VALUE ? t0 : first, last,
                truth.verdicts(), truth.endings());
    }

    /** Plans phases until one has packets; false when the connection has ended. */
    private boolean advance(Conn c) {
        boolean wasOpen = c.open;
        while (c.q.isEmpty()) {
            if (!script.next(c, c.last)) {
                return false;
            }
        }
        if (c.open && !wasOpen) {
            finiteActive--;
        }
        return true;
    }

    /** Stops starting flows, and starts those that are to be open when the capture ends. */
    private void drain(long t) {
        draining = true;
        double share = p.endings().openShare();
        long open = share <= 0 ? 0 : Math.round(share * started / (1 - share));
        for (long i = 0; i < open; i++) {
            Conn c = addSlot();
            start(c, t + master.between(0L, 2 * Conn.SEC), true);
            push(c.slot);
        }
    }

    private Conn addSlot() {
        int slot = slots++;
        if (slot == conns.length) {
            conns = Arrays.copyOf(conns, slot * 2);
            heap = Arrays.copyOf(heap, slot * 2);
        }
        Conn c = new Conn();
        c.slot = slot;
        conns[slot] = c;
        return c;
    }

    private void start(Conn c, long t, boolean open) {
        c.reset(master.nextLong());
        Rng r = c.rng;
        c.ending = open ? p.endings().pickOpen(r) : p.endings().pickFinite(r);
        c.v6 = r.chance(p.ipv6Share());
        int ci = (int) (started % CLIENTS);
        started++;
        finiteActive++;
        c.clientIndex = ci;
        c.serverIndex = r.nextInt(SERVERS);
        c.cIp4 = 0xC612_0000 | ((ci / 250) << 8) | (ci % 250 + 2);
        c.sIp4 = 0xC613_0000 | (c.serverIndex + 10);
        c.cHi = 0x2001_0db8_0000_0000L;
        c.cLo = ci + 2;
        c.sHi = 0x2001_0db8_0001_0000L;
        c.sLo = c.serverIndex + 10;
        c.cPort = port(ci);
        c.sPort = SERVER_PORTS[c.serverIndex % SERVER_PORTS.length];
        c.flowLabel = r.nextInt(1 << 20);
        c.cIsn = r.nextLong() & 0xFFFFFFFFL;
        c.sIsn = r.nextLong() & 0xFFFFFFFFL;
        c.cTsOff = r.nextLong() & 0xFFFFFFFFL;
        c.sTsOff = r.nextLong() & 0xFFFFFFFFL;
        c.cIpId = r.nextInt(65536);
        c.sIpId = r.nextInt(65536);
        c.ts = p.timestamps();
        c.mss = (c.v6 ? 1440 : 1460) - (c.ts ? 12 : 0);
        c.cWin = r.between(500, 3000);
        c.sWin = r.between(500, 2000);
        c.cCwnd = 10;
        c.sCwnd = 10;
        c.rtt = (long) (serverRtt[c.serverIndex] * (0.9 + 0.2 * r.nextDouble()));
        c.ser = r.between(1_000L, 12_000L);
        c.ackDelay = Math.max(500, c.ser / 2);
        c.cSalt = r.nextLong();
        c.sSalt = r.nextLong();
        switch (c.ending) {
            case REFUSED_FIREWALL, IDLE_RST_MIDDLEBOX, INJECTED_RST, INJECTED_RST_LATE_DATA ->
                    c.forgedTtl = FORGED_TTLS[r.nextInt(FORGED_TTLS.length)];
            default -> c.forgedTtl = 0;
        }
        c.last = t;
        script.next(c, t);
    }

    private int port(int client) {
        int port = nextPort[client];
        do {
            port = port >= 60999 ? 32768 : port + 1;
        } while (Arrays.binarySearch(RESERVED, port) >= 0);
        nextPort[client] = port;
        return port;
    }

    // --- the heap of slots, ordered by next packet time, then slot (for determinism)

    private boolean less(int a, int b) {
        long ta = conns[a].q.headTime();
        long tb = conns[b].q.headTime();
        return ta < tb || (ta == tb && a < b);
    }

    private void push(int slot) {
        int i = heapSize++;
        heap[i] = slot;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(heap[i], heap[parent])) {
                break;
            }
            int x = heap[i];
            heap[i] = heap[parent];
            heap[parent] = x;
            i = parent;
        }
    }

    private void popTop() {
        heap[0] = heap[--heapSize];
        if (heapSize > 0) {
            siftDown(0);
        }
    }

    private void siftDown(int i) {
        int x = heap[i];
        while (true) {
            int l = 2 * i + 1;
            if (l >= heapSize) {
                break;
            }
            int r = l + 1;
            int m = r < heapSize && less(heap[r], heap[l]) ? r : l;
            if (!less(heap[m], x)) {
                break;
            }
            heap[i] = heap[m];
            i = m;
        }
        heap[i] = x;
    }
}
