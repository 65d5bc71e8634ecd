package dev.tcpautopsy.decode;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;
import dev.tcpautopsy.capture.PacketRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Issue 5: the per-packet path (read + decode) allocates nothing; memory does not grow with the file. */
class AllocationTest {
    @Test
    void readingAndDecodingAllocatesNothingPerPacket(@TempDir Path dir) throws Exception {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "allocation counter not available");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
        Path file = dir.resolve("t.pcap");
        Throughput.write(file, 200_000);
        run(file); // warm up: the JIT, the channel's temporary direct buffer
        run(file);
        long tid = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(tid);
        long packets = run(file);
        long allocated = bean.getThreadAllocatedBytes(tid) - before;
        assertEquals(200_000, packets);
        // one reader and decoder (the 1 MiB buffer, the decoder's tables) per file; nothing per packet
        assertTrue(allocated < 1_500_000, allocated + " bytes allocated for " + packets + " packets");
    }

    private static long run(Path file) throws Exception {
        PacketRecord rec = new PacketRecord();
        TcpSegment seg = new TcpSegment();
        PacketDecoder d = new PacketDecoder();
        long n = 0;
        try (CaptureReader r = Captures.open(file)) {
            while (r.next(rec)) {
                d.decode(rec, seg);
                n++;
            }
        }
        return n;
    }
}
