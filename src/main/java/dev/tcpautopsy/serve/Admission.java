package dev.tcpautopsy.serve;

/**
 * What became of an upload, or of one file or pair of it: taken, or refused and why. The intake
 * decides; the API alone turns it into an HTTP status.
 */
enum Admission {
    /** Queued for a new analysis. */
    ACCEPTED,
    /** Content already here: added to that analysis (queued again when it had failed). */
    DUPLICATE,
    /** Past {@code --max-upload}. */
    TOO_LARGE,
    /** {@code --max-queued} analyses are waiting already. */
    QUEUE_FULL,
    /** It would leave less than {@code --min-free-disk}, or the disk filled up while it was stored. */
    NO_SPACE,
    /** Neither pcap nor pcapng, plain or gzip, by its bytes. */
    NOT_A_CAPTURE;

    boolean refused() {
        return this != ACCEPTED && this != DUPLICATE;
    }
}
