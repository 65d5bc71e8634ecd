package dev.tcpautopsy.synth;

/**
 * Traffic shapes: how big requests and responses are, how many per connection, how long
 * applications think, and which endings are common.
 */
public enum Profile {
    /**
     * Request/response traffic with mostly small-to-medium responses and some bulk transfers:
     * an average frame near 770 bytes, about 57 packets per connection.
     */
    BULK(256, 300, 0.8, 8_000, 2_000, 1.7, 4_000_000, 3.0, 120, 20,
            "FIN_ORDERLY=59,RST_ABORT=5,RST_UNREAD_DATA=6,RST_AFTER_CLOSE=4,REFUSED_SERVER=3,REFUSED_FIREWALL=1,"
                    + "HANDSHAKE_TIMEOUT=3,IDLE_TIMEOUT=6,MIDDLEBOX_RST=3,MIDDLEBOX_DROP=3,ZERO_WINDOW_STALL=3,"
                    + "OPEN_AT_END=4"),
    /**
     * Connection churn and SYN floods: tiny requests and responses, one exchange, many refused or
     * unanswered SYNs; an average frame under 100 bytes.
     */
    CHURN(1024, 40, 0.6, 400, 60, 0.8, 1_400, 0.0, 5, 1,
            "FIN_ORDERLY=40,REFUSED_SERVER=24,REFUSED_FIREWALL=1,HANDSHAKE_TIMEOUT=15,RST_ABORT=10,"
                    + "RST_UNREAD_DATA=5,RST_AFTER_CLOSE=3,MIDDLEBOX_RST=1,OPEN_AT_END=1");

    final int concurrency;
    final double requestMedian;
    final double requestSigma;
    final int requestMax;
    final double responseMedian;
    final double responseSigma;
    final int responseMax;
    /** Mean number of exchanges after the first one (geometric). */
    final double extraExchanges;
    /** Mean client think time between exchanges, ms (capped well below the idle threshold). */
    final double thinkMillis;
    /** Mean gap before a slot starts its next connection, ms. */
    final double startGapMillis;
    final String endings;

    Profile(int concurrency, double requestMedian, double requestSigma, int requestMax, double responseMedian,
            double responseSigma, int responseMax, double extraExchanges, double thinkMillis, double startGapMillis,
            String endings) {
        this.concurrency = concurrency;
        this.requestMedian = requestMedian;
        this.requestSigma = requestSigma;
        this.requestMax = requestMax;
        this.responseMedian = responseMedian;
        this.responseSigma = responseSigma;
        this.responseMax = responseMax;
        this.extraExchanges = extraExchanges;
        this.thinkMillis = thinkMillis;
        this.startGapMillis = startGapMillis;
        this.endings = endings;
    }

    /** Connections open at once unless told otherwise. */
    public int defaultConcurrency() {
        return concurrency;
    }

    /** The endings mix unless told otherwise. */
    public EndingMix defaultEndings() {
        return EndingMix.parse(endings);
    }
}
