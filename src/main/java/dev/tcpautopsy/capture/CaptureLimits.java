package dev.tcpautopsy.capture;

/**
 * Bounds that keep a hostile or damaged capture from making a reader allocate without limit.
 *
 * @param maxRecordLength largest captured length accepted for one packet record; a longer one is
 *                        damage (Wireshark's own limit for ordinary link types is 262144)
 * @param maxBlockLength  largest pcapng block of any other kind that is skipped by its length
 * @param bufferSize      initial size of the reader's reused buffer
 */
public record CaptureLimits(int maxRecordLength, int maxBlockLength, int bufferSize) {
    public static final CaptureLimits DEFAULT = new CaptureLimits(262_144, 16 * 1024 * 1024, 1 << 20);

    public CaptureLimits {
        if (maxRecordLength < 64 || maxBlockLength < 64 || bufferSize < 64) {
            throw new IllegalArgumentException("limits below 64 bytes: " + maxRecordLength + ", "
                    + maxBlockLength + ", " + bufferSize);
        }
        // a record plus its pcapng framing and options must fit in an int-indexed buffer
        if (maxRecordLength > (1 << 30)) {
            throw new IllegalArgumentException("maxRecordLength above 1 GiB: " + maxRecordLength);
        }
    }
}
