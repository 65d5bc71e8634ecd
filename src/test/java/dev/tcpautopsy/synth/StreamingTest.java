package dev.tcpautopsy.synth;

import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer streams: what it allocates does not grow with the number of packets it writes. */
class StreamingTest {

    /** Counts bytes and keeps none of them. */
    static final class Sink extends OutputStream {
        long bytes;
        int largestWrite;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
            largestWrite = Math.max(largestWrite, len);
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long allocationFor(SynthParams p, Sink sink) throws IOException {
        long before = allocated();
        SynthResult r = new Generator(p).write(sink, null);
        long used = allocated() - before;
        assertEquals(r.fileBytes(), sink.bytes);
        return used;
    }

    @Test
    void tenTimesThePacketsCostNoMoreMemory() throws IOException {
        for (Profile profile : Profile.values()) {
            // flows open at the end are connections open at once, which may cost memory: leave them out
            EndingMix finite = EndingMix.parse(profile.defaultEndings().weights().entrySet().stream()
                    .filter(e -> e.getKey().terminationClass() != TerminationClass.OPEN_AT_END)
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
            SynthParams small = SynthParams.defaults(profile, 1).withTargets(0, 100_000).withSeed(5).withEndings(finite);
            SynthParams big = small.withTargets(0, 1_000_000);
            allocationFor(small, new Sink()); // warm up
            long a = allocationFor(small, new Sink());
            Sink bigSink = new Sink();
            long b = allocationFor(big, bigSink);
            // fixed costs (the 1 MiB buffer, the payload pattern, the connection pool) are paid once
            assertTrue(b - a < 1_000_000, profile + ": " + a + " bytes for 100k packets, " + b + " for 1M");
            assertTrue((double) (b - a) / 900_000 < 1, profile + ": " + (double) (b - a) / 900_000
                    + " bytes per extra packet");
            assertTrue(bigSink.largestWrite <= CaptureSink.BUFFER
                    && bigSink.largestWrite > CaptureSink.BUFFER - 2 * FrameBuilder.MAX_FRAME,
                    profile + ": writes nearly full buffers, never more: " + bigSink.largestWrite);
        }
    }
}
