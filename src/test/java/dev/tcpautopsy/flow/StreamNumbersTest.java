package dev.tcpautopsy.flow;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StreamNumbersTest {
    /** Random puts and removes, against a HashMap: every value found, every removed key gone, through growth. */
    @Test
    void behavesAsAMap() {
        StreamNumbers m = new StreamNumbers();
        Map<Long, Long> ref = new HashMap<>();
        Random r = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            // a small key range, so that slots collide and removals shift their neighbours
            long key = r.nextInt(5_000);
            if (r.nextInt(3) == 0) {
                m.remove(key);
                ref.remove(key);
            } else {
                long v = r.nextLong();
                m.put(key, v);
                ref.put(key, v);
            }
            if (step % 10_000 == 0) {
                for (Map.Entry<Long, Long> e : ref.entrySet()) {
                    assertEquals(e.getValue(), m.get(e.getKey()));
                }
            }
        }
        assertEquals(ref.size(), m.size());
        for (long k = 0; k < 5_000; k++) {
            if (ref.containsKey(k)) {
                assertEquals(ref.get(k), m.get(k));
            } else {
                long missing = k;
                assertThrows(IllegalStateException.class, () -> m.get(missing));
            }
        }
    }
}
