package dev.tcpautopsy.analysis;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.PacketRecord;
import dev.tcpautopsy.decode.PacketDecoder;
import dev.tcpautopsy.decode.Packets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecodeAheadTest {
    private static final String NAME = "decode-ahead-test";

    /**
     * Tracking threads give a batch back when they are done with it, which may be before the capture's thread
     * has looked at it again: the reading thread then fills it with the capture's last records and marks it
     * last. The batches queued before it must still be handed on. Here the batch is given back, and refilled
     * and marked last, before {@link DecodeAhead#handOn} returns, every time.
     */
    @Test
    void aBatchGivenBackAndMarkedLastDoesNotEndTheCaptureEarly() throws Exception {
        // one segment a batch, two batches, three records: the reading thread ends the capture in the second
        // batch given back (the first holds the third record by then)
        DecodeAhead ahead = new DecodeAhead(new Records(3), new PacketDecoder(), 128, false, true, 1, 2,
                new Progress(ProgressListener.NONE, -1), NAME);
        List<Long> frames = new ArrayList<>();
        boolean[] ended = {false};
        DecodeAhead.Batch last = null;
        try {
            for (int calls = 0; calls < 10 && last == null; calls++) {
                last = ahead.handOn(b -> {
                    for (int i = 0; i < b.size(); i++) {
                        frames.add(b.peek(i).frame);
                    }
                    b.release();
                    if (frames.size() == 2 && !ended[0]) {
                        // the second batch is back: the reading thread takes it for the end of the capture
                        // (nothing more to read), queues it after the third record, and is done
                        Thread reading = readingThread();
                        try {
                            if (reading != null) {
                                reading.join(10_000);
                            }
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        ended[0] = reading == null || !reading.isAlive();
                    }
                });
            }
        } finally {
            ahead.close();
        }
        assertTrue(ended[0], "the reading thread ended while a batch was handed on");
        assertNotNull(last, "the capture ended");
        assertEquals(List.of(1L, 2L, 3L), frames, "every record handed on, in order");
    }

    /** The reading thread, or null once it has ended. */
    private static Thread readingThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().endsWith(NAME)) {
                return t;
            }
        }
        return null;
    }

    /** {@code n} TCP segments over Ethernet, frames 1 to n, one millisecond apart. */
    private static final class Records implements CaptureReader {
        private final int n;
        private int done;

        Records(int n) {
            this.n = n;
        }

        @Override
        public boolean next(PacketRecord rec) {
            if (done == n) {
                return false;
            }
            done++;
            byte[] tcp = Packets.tcp(40000 + done, 80, 1000, 0, 0x02, 0);
            rec.buf = Packets.ether(0x0800, Packets.ipv4(Packets.A4, Packets.B4, 6, tcp));
            rec.off = 0;
            rec.capLen = rec.wireLen = rec.buf.length;
            rec.linkType = 1;
            rec.frame = done;
            rec.fileOffset = 24L + 100L * done;
            rec.tsNanos = 1_000_000_000L + 1_000_000L * done;
            return true;
        }

        @Override
        public long bytesRead() {
            return 100L * done;
        }

        @Override
        public String format() {
            return "pcap";
        }

        @Override
        public boolean compressed() {
            return false;
        }

        @Override
        public int[] linkTypes() {
            return new int[] {1};
        }

        @Override
        public void close() {
        }
    }
}
