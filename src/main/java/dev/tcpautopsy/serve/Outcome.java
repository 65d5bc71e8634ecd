package dev.tcpautopsy.serve;

/**
 * How one job ended in a worker process.
 *
 * @param ok         the worker wrote the reports
 * @param reason     why not, in one line
 * @param workerLost the worker process is gone or was killed (a crash, the time limit): start another
 */
record Outcome(boolean ok, String reason, boolean workerLost) {
    static Outcome done() {
        return new Outcome(true, null, false);
    }

    static Outcome failed(String reason) {
        return new Outcome(false, reason, false);
    }

    static Outcome lost(String reason) {
        return new Outcome(false, reason, true);
    }
}
