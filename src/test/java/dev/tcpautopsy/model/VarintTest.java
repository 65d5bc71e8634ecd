package dev.tcpautopsy.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The encoded flows' integers: every long comes back, and the small ones take one byte. */
class VarintTest {

    @Test
    void everyLongComesBack() {
        Random r = new Random(3);
        long[] values = new long[100_000];
        long[] edges = {0, 1, -1, 63, -64, 64, -65, 127, 128, Integer.MAX_VALUE, Integer.MIN_VALUE,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1};
        for (int i = 0; i < values.length; i++) {
            values[i] = i < edges.length ? edges[i] : r.nextLong() >> r.nextInt(64);
        }
        Writer sink = new Writer();
        for (long v : values) {
            sink.writeLong(v);
        }
        Reader source = new Reader().at(Arrays.copyOf(sink.buf, sink.len), 0);
        for (long v : values) {
            assertEquals(v, source.readLong());
        }
        assertEquals(sink.len, source.pos);
    }

    @Test
    void smallValuesTakeOneByteAndTheLargestTen() {
        for (long v = -64; v <= 63; v++) {
            Writer sink = new Writer();
            sink.writeLong(v);
            assertEquals(1, sink.len, "value " + v);
        }
        for (long v : new long[] {64, -65, Long.MAX_VALUE, Long.MIN_VALUE}) {
            Writer sink = new Writer();
            sink.writeLong(v);
            assertEquals(v == 64 || v == -65 ? 2 : 10, sink.len, "value " + v);
        }
    }
}
