package dev.tcpautopsy.synth;

/**
 * SplitMix64: tiny, fast, and reseedable in place, so that every connection draws from its own
 * stream without allocating one. The same seed always gives the same numbers, on every JVM.
 */
final class Rng {
    private long state;

    Rng(long seed) {
        state = seed;
    }

    void reseed(long seed) {
        state = seed;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound); bound &gt; 0. */
    int nextInt(int bound) {
        return (int) ((nextLong() >>> 1) % bound);
    }

    /** Uniform in [lo, hi], both inclusive. */
    int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    /** Uniform in [lo, hi), as a long. */
    long between(long lo, long hi) {
        return lo + (long) (nextDouble() * (hi - lo));
    }

    boolean chance(double p) {
        return p > 0 && nextDouble() < p;
    }

    /** Exponentially distributed with the given mean. */
    double exponential(double mean) {
        return -mean * Math.log(1.0 - nextDouble());
    }

    /** Log-normal with the given median and shape, clamped to [min, max]. */
    int logNormal(double median, double sigma, int min, int max) {
        double g = Math.sqrt(-2.0 * Math.log(1.0 - nextDouble())) * Math.cos(2 * Math.PI * nextDouble());
        double v = median * Math.exp(sigma * g);
        return (int) Math.max(min, Math.min(max, v));
    }

    /** Log-uniform in [lo, hi]. */
    double logUniform(double lo, double hi) {
        return lo * Math.pow(hi / lo, nextDouble());
    }
}
