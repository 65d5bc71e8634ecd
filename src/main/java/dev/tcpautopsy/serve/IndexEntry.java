package dev.tcpautopsy.serve;

/**
 * One entry of the index: one capture content (by SHA-256) and its analysis, or a pair of captures of
 * the same traffic (by the SHA-256 of its files' digests in order) and their comparison.
 *
 * @param sha256   a capture's digest; a pair's is {@link Intake#pairDigest}'s
 * @param bytes    a capture's size; a pair's is its files' sizes together
 * @param kind     the container by its magic bytes: {@code pcap}, {@code pcapng}, or either with {@code .gz};
 *                 {@link #PAIR} for a pair, whose files are {@link PairFile}s
 * @param message  for {@code failed}: why, in one line; for {@code done}: a warning (a damaged part), or null
 * @param created  epoch milliseconds of the first upload; {@code started}, {@code finished} likewise, 0 when not yet
 * @param attempts times a worker took it up (a restart in the middle counts)
 * @param packets  records read; -1 until done, as are {@code flows} and {@code abnormal} (a pair's: both
 *                 points' records, its connections, those whose compared verdict is abnormal)
 * @param summary  a pair's headline once it is done ("412 of 418 connections identical at both points; …"),
 *                 else null
 */
record IndexEntry(String id, String sha256, long bytes, String kind, State state, String message, long created,
                  long started, long finished, int attempts, long packets, long flows, long abnormal,
                  String summary) {
    static final String PAIR = "pair";

    static IndexEntry queued(String id, String sha256, long bytes, String kind, long now) {
        return new IndexEntry(id, sha256, bytes, kind, State.QUEUED, null, now, 0, 0, 0, -1, -1, -1, null);
    }

    /** Whether this is a pair of captures compared, rather than one capture analyzed. */
    boolean pair() {
        return PAIR.equals(kind);
    }
}
