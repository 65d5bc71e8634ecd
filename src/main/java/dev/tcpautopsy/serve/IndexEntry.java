package dev.tcpautopsy.serve;

/**
 * One entry of the index: one capture content (by SHA-256) and its analysis.
 *
 * @param kind     the container by its magic bytes: {@code pcap}, {@code pcapng}, or either with {@code .gz}
 * @param message  for {@code failed}: why, in one line; for {@code done}: a warning (a damaged part), or null
 * @param created  epoch milliseconds of the first upload; {@code started}, {@code finished} likewise, 0 when not yet
 * @param attempts times a worker took it up (a restart in the middle counts)
 * @param packets  records read; -1 until done, as are {@code flows} and {@code abnormal}
 */
record IndexEntry(String id, String sha256, long bytes, String kind, State state, String message, long created,
                  long started, long finished, int attempts, long packets, long flows, long abnormal) {

    static IndexEntry queued(String id, String sha256, long bytes, String kind, long now) {
        return new IndexEntry(id, sha256, bytes, kind, State.QUEUED, null, now, 0, 0, 0, -1, -1, -1);
    }
}
