package dev.tcpautopsy.capture;

/**
 * One capture record, as a view into the reader's reused buffer.
 *
 * <p>A reader fills the same instance for every record: the bytes at {@code buf[off .. off+capLen)}
 * are valid only until the next call to {@link CaptureReader#next(PacketRecord)}. Nothing here is
 * copied per packet.
 */
public final class PacketRecord {
    /**
     * Not a LINKTYPE_ value (those are 16-bit): the record is a pcapng systemd journal export
     * entry, which Wireshark shows (and numbers) as a frame.
     */
    public static final int LINKTYPE_SYSTEMD_JOURNAL = 0x1_0009;

    /** Buffer holding the captured bytes of this record; owned by the reader and reused. */
    public byte[] buf;
    /** Offset of the first captured byte in {@link #buf}. */
    public int off;
    /** Bytes captured (may be less than {@link #wireLen} when the snapshot length cut the packet). */
    public int capLen;
    /** Bytes the packet had on the wire. */
    public int wireLen;
    /** Timestamp, nanoseconds since the Unix epoch (interface resolution and offset applied). */
    public long tsNanos;
    /** Link-layer header type (LINKTYPE_* value) of the interface this record came from. */
    public int linkType;
    /** 1-based frame number in file order: the number Wireshark shows. */
    public long frame;
    /** Byte offset of this record's header in the (decompressed) capture stream. */
    public long fileOffset;
    /** pcapng interface id; 0 for pcap. */
    public int interfaceId;
    /**
     * Where the captured bytes ({@code buf[off]} on) can be read again through {@link #frames}: their offset in
     * the file, and in a merged capture its piece above {@link FrameBytes#OFFSET_BITS}; -1 when they cannot.
     */
    public long dataAt = -1;
    /** What reads them again, or {@code null}. */
    public FrameBytes frames;
}
