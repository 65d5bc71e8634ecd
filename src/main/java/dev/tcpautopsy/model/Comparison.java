package dev.tcpautopsy.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The same traffic captured at two points (A and B), connection by connection: what one point saw
 * and the other did not ({@code compare.json}, {@code compare.csv}, {@code compare.html}). Endpoints
 * are as A sees them, except for connections seen at B only.
 *
 * @param connections connections seen at both points, in the order of A's streams
 * @param onlyInA     connections A saw and B did not (never got there, or not on B's path)
 * @param onlyInB     connections B saw and A did not
 */
public record Comparison(String toolVersion, Instant generated, Duration idleThreshold, Point a, Point b,
                         Clock clock, List<Pair> connections, List<OneSided> onlyInA, List<OneSided> onlyInB,
                         Summary summary) {
    public Comparison {
        connections = List.copyOf(connections);
        onlyInA = List.copyOf(onlyInA);
        onlyInB = List.copyOf(onlyInB);
    }

    /** Whether both captures were read to their end. */
    public boolean complete() {
        return a.error() == null && b.error() == null;
    }

    /**
     * One capture point: its files (joined by {@code ", "} when several were merged), what was read, and
     * {@code error} when reading stopped early (null otherwise).
     */
    public record Point(String file, long packets, long segments, long connections, Instant first, Instant last,
                        String vantage, CaptureError error) {
    }

    /**
     * The two capture clocks: B's clock minus A's at A's first matched segment ({@code offsetSeconds}),
     * how fast it drifts ({@code driftPpm}), and the one-way time between the points; {@code known} is
     * false when no segment was seen at both points (then every number is 0).
     */
    public record Clock(boolean known, double offsetSeconds, double driftPpm, double oneWaySeconds, long samples) {
    }

    /** A connection as one point saw it: its stream there, its ends, and that point's own verdict. */
    public record View(long stream, Endpoint client, Endpoint server, long firstFrame, long lastFrame, Instant start,
                       Instant end, long segments, TerminationClass cls, By by, String reason) {
    }

    /** The verdict judged with both views. */
    public record Verdict(TerminationClass cls, By by, String reason) {
    }

    /**
     * One segment seen at one point only. {@code frameA} / {@code frameB}: its frame where it was seen
     * (-1 at the other point); {@code time} there; {@code direction} {@code client-to-server} or
     * {@code server-to-client}; {@code seq} and {@code ack} relative to the ISNs as that point saw them
     * (raw when no SYN was seen); {@code ttl} its IP TTL or hop limit there.
     */
    public record Gap(long frameA, long frameB, Instant time, String direction, long seq, long ack, int len,
                      String flags, int ttl, String what) {
    }

    /** Something that changed between the points: {@code kind} is a stable word, {@code text} says what. */
    public record Change(String kind, String text) {
    }

    /**
     * One line of the two ladders side by side: a segment at A, at B, or at both; {@code status} is
     * {@code both}, {@code lost}, {@code appeared}, {@code unseen} (outside the other capture) or
     * {@code gap} (a row that stands for {@code what} rows left out).
     */
    public record Rung(long frameA, String timeA, long frameB, String timeB, boolean fromClient, String what,
                       String status) {
    }

    /**
     * A connection seen at both points.
     *
     * @param clientSide {@code a} when the client is on A's side (its segments pass A first), {@code b}, or
     *                   {@code unknown} (then taken as {@code a})
     * @param matched    segments seen at both points
     * @param unseen     segments not compared: the other capture was not running when they would have passed it
     * @param hopsAtoB   how much the TTL / hop limit fell from A to B (-1 unknown), {@code hopsBtoA} likewise
     * @param category   {@code identical}, {@code rst-from-between}, {@code lost-last}, {@code lost-recovered}
     *                   or {@code appeared}
     * @param ladder     the two ladders, kept for the first connections that are not identical (else empty)
     */
    public record Pair(View a, View b, Endpoint client, Endpoint server, String clientSide, long matched,
                       List<Gap> lostAtoB, List<Gap> lostBtoA, List<Gap> appearedAtA, List<Gap> appearedAtB,
                       long unseen, int hopsAtoB, int hopsBtoA, List<Change> changes, Verdict termination,
                       String category, List<Rung> ladder) {
        public Pair {
            lostAtoB = List.copyOf(lostAtoB);
            lostBtoA = List.copyOf(lostBtoA);
            appearedAtA = List.copyOf(appearedAtA);
            appearedAtB = List.copyOf(appearedAtB);
            changes = List.copyOf(changes);
            ladder = List.copyOf(ladder);
        }

        public boolean identical() {
            return lostAtoB.isEmpty() && lostBtoA.isEmpty() && appearedAtA.isEmpty() && appearedAtB.isEmpty();
        }
    }

    /**
     * A connection seen at one point only. {@code onPath}: the other point carries this traffic (it saw
     * other connections between the same hosts while this one lasted), so what went towards it was lost
     * ({@code lost}) and what came from its direction appeared in between ({@code appeared}); otherwise both
     * lists are empty and {@code why} says why it is not compared.
     */
    public record OneSided(View view, boolean onPath, String why, List<Gap> lost, List<Gap> appeared,
                           Verdict termination, String category, List<Rung> ladder) {
        public OneSided {
            lost = List.copyOf(lost);
            appeared = List.copyOf(appeared);
            ladder = List.copyOf(ladder);
        }
    }

    /**
     * Connections counted once each, in the first bucket that fits: a RST from in between, last segments
     * lost, segments lost and recovered, other segments appeared, identical; then those seen at one point
     * only that the other point does not carry. {@code text} is the headline.
     */
    public record Summary(long connections, long identical, long injectedRst, long lostLast, long lostRecovered,
                          long appeared, long notOnPathA, long notOnPathB, String text) {
    }
}
