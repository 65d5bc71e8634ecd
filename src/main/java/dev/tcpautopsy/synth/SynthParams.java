package dev.tcpautopsy.synth;

import java.time.Instant;

/**
 * Everything that shapes a synthetic capture. The same parameters (seed included) always give
 * byte-identical output.
 *
 * @param seed         the seed of every random choice
 * @param targetBytes  stop starting connections once the file has this many bytes (0: no limit)
 * @param targetPackets stop starting connections once this many packets were written (0: no limit)
 * @param concurrency  connections open at once
 * @param profile      sizes and think times
 * @param endings      how connections end
 * @param loss         probability that a data segment is lost once (and retransmitted)
 * @param reorder      probability that a server data segment arrives after its successor
 * @param ipv6Share    share of connections over IPv6
 * @param timestamps   whether connections negotiate the TCP timestamps option
 * @param format       pcap or pcapng
 * @param gzip         whether the file is gzip-compressed
 * @param nanos        nanosecond timestamps (pcap magic a1b23c4d, pcapng if_tsresol 9)
 * @param start        capture time of the first packet
 */
public record SynthParams(long seed, long targetBytes, long targetPackets, int concurrency, Profile profile,
                          EndingMix endings, double loss, double reorder, double ipv6Share, boolean timestamps,
                          Format format, boolean gzip, boolean nanos, Instant start) {

    /** The container format. */
    public enum Format { PCAP, PCAPNG }

    /** Midnight-ish on a fixed date, so that default output never depends on the clock. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-24T17:00:00Z");

    public SynthParams {
        if (targetBytes <= 0 && targetPackets <= 0) {
            throw new IllegalArgumentException("no target size (expected: bytes or packets > 0)");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency " + concurrency + " (expected: >= 1)");
        }
        check("loss", loss, 0.5);
        check("reorder", reorder, 0.5);
        check("IPv6 share", ipv6Share, 1.0);
    }

    private static void check(String what, double v, double max) {
        if (!(v >= 0 && v <= max)) {
            throw new IllegalArgumentException(what + " " + v + " (expected: 0 .. " + max + ")");
        }
    }

    /** Defaults for a profile: seed 1, the profile's concurrency and endings, 0.2 % loss, 0.1 % reordering, 10 % IPv6. */
    public static SynthParams defaults(Profile profile, long targetBytes) {
        return new SynthParams(1, targetBytes, 0, profile.defaultConcurrency(), profile, profile.defaultEndings(),
                0.002, 0.001, 0.10, true, Format.PCAP, false, false, DEFAULT_START);
    }

    public SynthParams withSeed(long s) {
        return new SynthParams(s, targetBytes, targetPackets, concurrency, profile, endings, loss, reorder, ipv6Share,
                timestamps, format, gzip, nanos, start);
    }

    public SynthParams withTargets(long bytes, long packets) {
        return new SynthParams(seed, bytes, packets, concurrency, profile, endings, loss, reorder, ipv6Share,
                timestamps, format, gzip, nanos, start);
    }

    public SynthParams withEndings(EndingMix e) {
        return new SynthParams(seed, targetBytes, targetPackets, concurrency, profile, e, loss, reorder, ipv6Share,
                timestamps, format, gzip, nanos, start);
    }

    public SynthParams withFormat(Format f, boolean gz, boolean ns) {
        return new SynthParams(seed, targetBytes, targetPackets, concurrency, profile, endings, loss, reorder,
                ipv6Share, timestamps, f, gz, ns, start);
    }

    public SynthParams withNetwork(int conc, double lossRate, double reorderRate, double v6, boolean ts) {
        return new SynthParams(seed, targetBytes, targetPackets, conc, profile, endings, lossRate, reorderRate, v6,
                ts, format, gzip, nanos, start);
    }

    /** One line for the truth files' scenario header. */
    public String describe() {
        return "synthetic seed=" + seed + " profile=" + profile.name().toLowerCase(java.util.Locale.ROOT)
                + (targetBytes > 0 ? " bytes=" + targetBytes : "") + (targetPackets > 0 ? " packets=" + targetPackets : "")
                + " concurrency=" + concurrency + " loss=" + loss + " reorder=" + reorder + " ipv6=" + ipv6Share
                + " timestamps=" + timestamps + " format=" + format.name().toLowerCase(java.util.Locale.ROOT)
                + (gzip ? "+gzip" : "") + (nanos ? " nanos" : "") + " start=" + start + " endings=" + endings;
    }
}
