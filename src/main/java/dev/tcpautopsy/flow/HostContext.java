package dev.tcpautopsy.flow;

/**
 * What the whole capture says about each host, beyond one flow: the TTL / hop limit its own packets
 * carry (to tell a forged RST from a real one) and where the capture was taken. Filled by flow
 * tracking as flows finish; read by the classifier.
 */
public interface HostContext {
    /** A context that knows nothing (every answer "unknown"). */
    HostContext NONE = new HostContext() {
        @Override
        public int ttlBaseline(String ip) {
            return -1;
        }

        @Override
        public long ttlSamples(String ip) {
            return 0;
        }

        @Override
        public boolean isLocal(String ip) {
            return false;
        }

        @Override
        public String vantage() {
            return "unknown";
        }
    };

    /** TTLs that hosts start with: a packet carrying one has crossed no router. */
    static boolean initialTtl(int ttl) {
        return ttl == 64 || ttl == 128 || ttl == 255;
    }

    /**
     * Most common TTL / hop limit of the host's non-RST packets over the flows seen, -1 when unknown or
     * when the host has no steady TTL (it varies from packet to packet).
     */
    int ttlBaseline(String ip);

    /** How many packets back {@link #ttlBaseline}. */
    long ttlSamples(String ip);

    /** Whether the capture was taken on this host: its packets carry an unreduced initial TTL (64, 128, 255). */
    boolean isLocal(String ip);

    /** Where the capture was taken, as inferred from TTLs: e.g. {@code client host}, {@code in the path}. */
    String vantage();
}
