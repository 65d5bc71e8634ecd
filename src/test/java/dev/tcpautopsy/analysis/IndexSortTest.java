package dev.tcpautopsy.analysis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The index sort orders as a stable sort does, whether the indices come shuffled, nearly sorted or sorted. */
class IndexSortTest {
    /** The order of a stable sort of the JDK (List.sort) by key alone: ties keep their index order. */
    private static int[] expected(long[] key) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < key.length; i++) {
            idx.add(i);
        }
        idx.sort(Comparator.comparingLong(i -> key[i]));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void ordersByKeyAndKeepsTiesInIndexOrder() {
        Random r = new Random(7);
        for (int n : new int[] {0, 1, 2, 3, 17, 64, 1000, 4099}) {
            long[] shuffled = new long[n], nearly = new long[n], sorted = new long[n];
            for (int i = 0; i < n; i++) {
                shuffled[i] = r.nextInt(50);
                // in order but for a few that come up to 40 places late, with ties
                nearly[i] = i / 3 + (r.nextInt(10) == 0 ? r.nextInt(40) : 0);
                sorted[i] = i / 2;
            }
            for (long[] key : new long[][] {shuffled, nearly, sorted}) {
                assertArrayEquals(expected(key), IndexSort.sort(key.length, (x, y) -> key[x] < key[y]), "n = " + n);
            }
        }
    }
}
