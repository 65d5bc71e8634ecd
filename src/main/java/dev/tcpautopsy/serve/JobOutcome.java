package dev.tcpautopsy.serve;

/**
 * How one job ended in a worker process.
 *
 * @param ok         the worker wrote the reports
 * @param reason     why not, in one line
 * @param workerLost the worker process is gone or was killed (a crash, the time limit): start another
 */
record JobOutcome(boolean ok, String reason, boolean workerLost) {
    static JobOutcome done() {
        return new JobOutcome(true, null, false);
    }

    static JobOutcome failed(String reason) {
        return new JobOutcome(false, reason, false);
    }

    static JobOutcome lost(String reason) {
        return new JobOutcome(false, reason, true);
    }
}
