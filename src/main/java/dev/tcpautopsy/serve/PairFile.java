package dev.tcpautopsy.serve;

/**
 * One capture file of a pair: its point ({@code a} or {@code b}), its place among that point's files from
 * 1 (the order they were uploaded in, which is the order a merge by time keeps for equal timestamps), and
 * what was uploaded.
 *
 * @param fileName the client's name for it, for display and search only
 * @param kind     its container, as {@link IndexEntry#kind()} spells a single capture's
 */
record PairFile(String side, int seq, String fileName, long bytes, String kind, String sha256) {
    static final String A = "a", B = "b";

    /** Its name in the pair's directory and its permalink: {@code a1}, {@code b2}; never the client's name. */
    String stored() {
        return side + seq;
    }
}
