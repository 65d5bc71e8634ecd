package dev.tcpautopsy.serve;

/** How far a running analysis has read its capture, as its worker last said. */
record JobProgress(long bytesDone, long bytesTotal, long packets) {
    static final JobProgress START = new JobProgress(0, -1, 0);

    /** Percent of the capture read, or -1 when the size is unknown. */
    int percent() {
        return bytesTotal <= 0 ? -1 : (int) Math.min(100, bytesDone * 100 / bytesTotal);
    }
}
