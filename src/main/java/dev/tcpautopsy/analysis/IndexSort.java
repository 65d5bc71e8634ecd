package dev.tcpautopsy.analysis;

/**
 * A stable merge sort of indices by a comparison of what they index: for the arrays of numbers kept side by
 * side (stored flows, hosts' endings), sorted without boxing an index or making an object per element. Two
 * runs already in order are not merged, so indices that come nearly sorted cost few comparisons.
 */
final class IndexSort {
    /** Whether the element at index {@code x} goes before the one at {@code y}. */
    interface Before {
        boolean test(int x, int y);
    }

    private IndexSort() {
    }

    /** The indices {@code 0 .. n-1} in order; equal elements keep their index order. */
    static int[] sort(int n, Before before) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return sort(a, before);
    }

    /** {@code a}'s indices in order (a stable sort; the array given may be reused). */
    static int[] sort(int[] a, Before before) {
        int n = a.length;
        int[] tmp = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
                if (mid < hi && !before.test(a[mid], a[mid - 1])) {
                    // the two runs are in order already (indices come nearly sorted): merging would copy them as they are
                    System.arraycopy(a, lo, tmp, lo, hi - lo);
                    continue;
                }
                int i = lo, j = mid, k = lo;
                while (i < mid && j < hi) {
                    tmp[k++] = before.test(a[j], a[i]) ? a[j++] : a[i++];
                }
                while (i < mid) {
                    tmp[k++] = a[i++];
                }
                while (j < hi) {
                    tmp[k++] = a[j++];
                }
            }
            int[] t = a;
            a = tmp;
            tmp = t;
        }
        return a;
    }
}
