package dev.tcpautopsy.synth;

/**
 * One synthetic connection: its endpoints, its TCP state as the scripts advance it, and the
 * packets it has planned. Instances are pooled per concurrency slot and reset with
 * {@link #reset}, so their arrays are allocated once.
 *
 * <p>Times are nanoseconds at the capture point, which sits at the client: a client packet is
 * captured when sent, a server packet when it arrives (half an RTT after the server sent it).
 */
final class Conn {
    static final long US = 1_000L;
    static final long MS = 1_000_000L;
    static final long SEC = 1_000_000_000L;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    /** Linux's delayed-ACK timer. */
    static final long DELACK = 40 * MS;
    /** Window scale both sides offer (Linux with default buffers). */
    static final int WSCALE = 7;
    static final int CLIENT_TTL = 64;
    /** The server's packets cross one router on the way to the client. */
    static final int SERVER_TTL = 63;

    final PacketQueue q = new PacketQueue();
    final Rng rng = new Rng(0);

    // identity
    int slot;
    /** Wireshark's tcp.stream index: order of the first packet in the file; -1 until then. */
    long stream;
    Ending ending;
    boolean v6;
    int clientIndex;
    int serverIndex;
    int cIp4;
    int sIp4;
    long cHi;
    long cLo;
    long sHi;
    long sLo;
    int cPort;
    int sPort;
    int flowLabel;
    /** TTL of forged packets (0: none in this flow). */
    int forgedTtl;

    // TCP
    long cIsn;
    long sIsn;
    long cNxt;
    long sNxt;
    boolean ts;
    long cTsOff;
    long sTsOff;
    long cTsLast;
    long sTsLast;
    int cIpId;
    int sIpId;
    /** Payload bytes per full segment (the same both ways). */
    int mss;
    /** Raw advertised windows (to be scaled by 2^WSCALE). */
    int cWin;
    int sWin;
    int cCwnd;
    int sCwnd;
    long rtt;
    /** Serialization time of a full segment on the path's bottleneck. */
    long ser;
    long cSalt;
    long sSalt;

    // script position
    int step;
    int exchangesLeft;
    /** Response bytes still to come in later phases (a long response is planned a chunk at a time). */
    long pendingResponse;
    /** Set once an open-ended flow has done its part: from then on it only waits for the cut. */
    boolean open;
    /** Capture time of the last packet written. */
    long last;

    // statistics for the truth notes
    int packets;
    int lost;
    int reordered;

    // scratch for transfers
    long[] at = new long[Script.CHUNK_SEGMENTS];
    int[] order = new int[Script.CHUNK_SEGMENTS];
    boolean[] got = new boolean[Script.CHUNK_SEGMENTS];

    void reset(long seed) {
        rng.reseed(seed);
        q.clear();
        stream = -1;
        step = 0;
        open = false;
        pendingResponse = 0;
        packets = 0;
        lost = 0;
        reordered = 0;
        forgedTtl = 0;
        cNxt = 0;
        sNxt = 0;
        cTsLast = 0;
        sTsLast = 0;
    }

    void ensureScratch(int n) {
        if (at.length < n) {
            int cap = Math.max(n, at.length * 2);
            at = new long[cap];
            order = new int[cap];
            got = new boolean[cap];
        }
    }

    /** Plans a client packet (captured when sent). */
    int addC(long t, int meta, long seq, long ack, int len) {
        return q.add(t, meta, seq, ack, len, cWin);
    }

    /** Plans a server packet (captured when it arrives at the client). */
    int addS(long t, int meta, long seq, long ack, int len) {
        return q.add(t, meta | PacketQueue.S2C, seq, ack, len, sWin);
    }

    /** Linux's retransmission timeout once the RTT is known: srtt + max(4 rttvar, 200 ms). */
    long rto() {
        return 200 * MS + rtt;
    }

    /**
     * The client kernel's time to ACK an arriving segment: fixed per flow and shorter than the gap
     * between arrivals, so an ACK always reflects what had arrived.
     */
    long ackDelay;

    /** A host's reaction time to a packet (kernel and application). */
    long delta() {
        return rng.between(8 * US, 60 * US);
    }

    /** Extra meta bits for a forged packet: its TTL. */
    int forged() {
        return forgedTtl << PacketQueue.TTL_SHIFT;
    }
}
