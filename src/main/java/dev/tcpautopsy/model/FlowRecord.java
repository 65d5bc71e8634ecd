package dev.tcpautopsy.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One flow read from its encoded form ({@link FlowEncoder}) without the objects of a {@link Flow}: numbers
 * as numbers, strings as {@link Utf8Text} views of their bytes, so that a format writes a flow of a million
 * into its output with nothing allocated. The details of the few flows that keep them (state transitions,
 * last packets, header dumps) are read as objects on demand, and {@link #flow} builds the whole model flow
 * for the formats that want one.
 *
 * <p>A reusable view, like a parser: {@link #load} reads the next flow over the last one, and what it handed
 * out before (texts, {@link DirectionRecord}s) then shows the new flow. One instance per thread.
 */
public final class FlowRecord {
    private static final TerminationClass[] CLASSES = TerminationClass.values();
    private static final By[] BYS = By.values();
    private static final Tag[] TAGS = Tag.values();

    final Reader in = new Reader();
    private long stream;
    private final Utf8Text clientIp = new Utf8Text(), serverIp = new Utf8Text();
    private int clientPort, serverPort;
    private long firstFrame, lastFrame;
    private final long[] times = new long[4];
    private boolean hasStart, hasEnd;
    private int flags;
    private TerminationClass cls;
    private By by;
    private final Utf8Text reason = new Utf8Text(), filter = new Utf8Text();
    private String clause;
    private int evidence;
    private long[] frames = new long[4];
    private Utf8Text[] notes = texts(4);
    private int[] dumps = new int[4];
    private int tagCount;
    private final Tag[] tags = new Tag[TAGS.length];
    private boolean hasAppView;
    private final Utf8Text sawClient = new Utf8Text(), sawServer = new Utf8Text();
    private final DirectionRecord fromClient = new DirectionRecord(), fromServer = new DirectionRecord();
    private long rttMicros;
    private boolean hasIdle;
    private double idleSeconds;
    private long idleAfter, idleBefore;
    private final Utf8Text history = new Utf8Text();
    private final AppRecord app = new AppRecord();
    private int transitionsAt, packetsAt, transitionCount, packetCount;
    private Flow flow;

    /**
     * Reads the flow encoded at {@code bytes[offset ..)}, with what was learned of it after it was stored:
     * its 4-tuple was reused by a later connection ({@code PORT_REUSE}), or its ending was one of a host's
     * burst ({@code burstClause}, added to the reason with {@code HOST_BURST}; {@code null} when not).
     */
    public FlowRecord load(byte[] bytes, int offset, boolean portReusedLater, String burstClause) {
        flow = null;
        Reader r = in.at(bytes, offset);
        stream = r.readLong();
        r.text(clientIp);
        clientPort = (int) r.readLong();
        r.text(serverIp);
        serverPort = (int) r.readLong();
        firstFrame = r.readLong();
        lastFrame = r.readLong();
        hasStart = r.instant(times, 0);
        hasEnd = r.instant(times, 2);
        flags = r.readByte();
        termination(r);
        boolean hadReuse = false, hadBurst = false;
        for (int i = 0; i < tagCount; i++) {
            hadReuse |= tags[i] == Tag.PORT_REUSE;
            hadBurst |= tags[i] == Tag.HOST_BURST;
        }
        if (portReusedLater && !hadReuse) {
            tags[tagCount++] = Tag.PORT_REUSE;
        }
        clause = null;
        if (burstClause != null && !hadBurst) {
            tags[tagCount++] = Tag.HOST_BURST;
            clause = burstClause;
        }
        fromClient.read(r);
        fromServer.read(r);
        rttMicros = r.readLong();
        hasIdle = r.readByte() != 0;
        if (hasIdle) {
            idleSeconds = r.readDouble();
            idleAfter = r.readLong();
            idleBefore = r.readLong();
        }
        r.text(history);
        app.read(r);
        transitionsAt = r.pos;
        transitionCount = (int) r.readLong();
        for (int i = 0; i < transitionCount; i++) {
            r.readLong();
            r.instant();
            r.skipString();
            r.skipString();
            r.skipString();
        }
        packetsAt = r.pos;
        packetCount = (int) r.readLong();
        return this;
    }

    private void termination(Reader r) {
        cls = CLASSES[r.readByte()];
        by = BYS[r.readByte()];
        r.text(reason);
        r.text(filter);
        evidence = (int) r.readLong();
        if (evidence > frames.length) {
            frames = Arrays.copyOf(frames, evidence);
            dumps = Arrays.copyOf(dumps, evidence);
            notes = Arrays.copyOf(notes, evidence);
            for (int i = 0; i < evidence; i++) {
                notes[i] = notes[i] == null ? new Utf8Text() : notes[i];
            }
        }
        for (int i = 0; i < evidence; i++) {
            frames[i] = r.readLong();
            r.text(notes[i]);
            dumps[i] = r.pos;
            if (r.buf[r.pos] == 0) {
                r.pos++;
                dumps[i] = -1;
            } else {
                r.skipStrings();
            }
        }
        tagCount = r.readByte();
        for (int i = 0; i < tagCount; i++) {
            tags[i] = TAGS[r.readByte()];
        }
        hasAppView = r.readByte() != 0;
        if (hasAppView) {
            r.text(sawClient);
            r.text(sawServer);
        } else {
            sawClient.setNull();
            sawServer.setNull();
        }
    }

    private static Utf8Text[] texts(int n) {
        Utf8Text[] t = new Utf8Text[n];
        for (int i = 0; i < n; i++) {
            t[i] = new Utf8Text();
        }
        return t;
    }

    public long stream() {
        return stream;
    }

    public Utf8Text clientIp() {
        return clientIp;
    }

    public int clientPort() {
        return clientPort;
    }

    public Utf8Text serverIp() {
        return serverIp;
    }

    public int serverPort() {
        return serverPort;
    }

    public long firstFrame() {
        return firstFrame;
    }

    public long lastFrame() {
        return lastFrame;
    }

    /** Whether the time of the first segment is known (then {@link #startSecond} and {@link #startNano}). */
    public boolean hasStart() {
        return hasStart;
    }

    public long startSecond() {
        return times[0];
    }

    public int startNano() {
        return (int) times[1];
    }

    public boolean hasEnd() {
        return hasEnd;
    }

    public long endSecond() {
        return times[2];
    }

    public int endNano() {
        return (int) times[3];
    }

    public boolean handshakeSeen() {
        return (flags & FlowEncoder.HANDSHAKE_SEEN) != 0;
    }

    public boolean halfClosed() {
        return (flags & FlowEncoder.HALF_CLOSED) != 0;
    }

    public TerminationClass cls() {
        return cls;
    }

    public By by() {
        return by;
    }

    /** The reason as stored; {@link #reasonClause} follows it when the flow was one of a burst. */
    public Utf8Text reason() {
        return reason;
    }

    /** What follows the stored reason ({@code "; one of 4 connections that ..."}), or {@code null}. */
    public String reasonClause() {
        return clause == null ? null : "; " + clause;
    }

    public Utf8Text filter() {
        return filter;
    }

    public int evidenceCount() {
        return evidence;
    }

    public long evidenceFrame(int i) {
        return frames[i];
    }

    public Utf8Text evidenceNote(int i) {
        return notes[i];
    }

    /** Whether evidence {@code i} has a header dump (only flows whose details were kept have them). */
    public boolean hasHeaderDump(int i) {
        return dumps[i] >= 0;
    }

    /** The header dump of evidence {@code i}, empty when it has none. */
    public List<String> headerDump(int i) {
        return dumps[i] < 0 ? List.of() : in.at(in.buf, dumps[i]).strings();
    }

    /** Tags, those learned after the flow was stored last. */
    public int tagCount() {
        return tagCount;
    }

    public Tag tag(int i) {
        return tags[i];
    }

    public boolean hasAppView() {
        return hasAppView;
    }

    /** What the client's application saw; null without an app view. */
    public Utf8Text sawClient() {
        return sawClient;
    }

    public Utf8Text sawServer() {
        return sawServer;
    }

    public DirectionRecord fromClient() {
        return fromClient;
    }

    public DirectionRecord fromServer() {
        return fromServer;
    }

    /** -1 when unknown. */
    public long handshakeRttMicros() {
        return rttMicros;
    }

    public boolean hasLongestIdle() {
        return hasIdle;
    }

    public double idleSeconds() {
        return idleSeconds;
    }

    public long idleAfterFrame() {
        return idleAfter;
    }

    public long idleBeforeFrame() {
        return idleBefore;
    }

    public Utf8Text history() {
        return history;
    }

    /** The application context; {@link AppRecord#present} says whether there is one. */
    public AppRecord app() {
        return app;
    }

    /** State transitions kept (none unless the flow's details were kept). */
    public int transitionCount() {
        return transitionCount;
    }

    /** Last packets kept: none unless the flow's details were kept (every flow has a last packet). */
    public int lastPacketCount() {
        return packetCount;
    }

    public List<StateChange> transitions() {
        Reader r = in.at(in.buf, transitionsAt);
        int n = (int) r.readLong();
        List<StateChange> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new StateChange(r.readLong(), r.instant(), r.string(), r.string(), r.string()));
        }
        return out;
    }

    public List<PacketLine> lastPackets() {
        Reader r = in.at(in.buf, packetsAt);
        int n = (int) r.readLong();
        List<PacketLine> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new PacketLine(r.readLong(), r.instant(), r.readByte() != 0, r.string(), r.readLong(),
                    r.readLong(), (int) r.readLong(), r.readLong(), (int) r.readLong(), r.strings()));
        }
        return out;
    }

    /** The model flow, built once per {@link #load}. */
    public Flow flow() {
        if (flow == null) {
            flow = FlowRecords.flow(this);
        }
        return flow;
    }

    Instant start() {
        return hasStart ? Instant.ofEpochSecond(times[0], times[1]) : null;
    }

    Instant end() {
        return hasEnd ? Instant.ofEpochSecond(times[2], times[3]) : null;
    }
}
