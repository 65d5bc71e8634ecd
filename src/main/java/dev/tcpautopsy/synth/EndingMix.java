package dev.tcpautopsy.synth;

import dev.tcpautopsy.model.TerminationClass;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Relative weights of the endings. Written as {@code NAME=WEIGHT,...} where a name is an
 * {@link Ending} variant or a termination class (whose weight is split evenly over its variants).
 */
public final class EndingMix {
    /** {@code Ending.values()} once: it clones its array on every call, and flows start by the million. */
    private static final Ending[] ALL = Ending.values();
    private final double[] weights = new double[Ending.values().length];
    private final double[] cumulativeFinite = new double[weights.length];
    private double finiteTotal;
    private double openTotal;

    private EndingMix() {
    }

    /** Parses {@code FIN_ORDERLY=50,REFUSED_SERVER=3,...}; throws IllegalArgumentException naming the bad part. */
    public static EndingMix parse(String spec) {
        EndingMix m = new EndingMix();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("ending weight '" + p + "' (expected: NAME=WEIGHT)");
            }
            String name = p.substring(0, eq).trim().toUpperCase(Locale.ROOT);
            double w;
            try {
                w = Double.parseDouble(p.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ending weight '" + p + "' (expected: a number after '=')");
            }
            if (w < 0 || Double.isNaN(w) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("ending weight '" + p + "' (expected: >= 0)");
            }
            List<Ending> variants = variants(name);
            for (Ending e : variants) {
                m.weights[e.ordinal()] += w / variants.size();
            }
        }
        m.finish();
        return m;
    }

    private static List<Ending> variants(String name) {
        List<Ending> out = new ArrayList<>();
        for (Ending e : Ending.values()) {
            if (e.terminationClass().name().equals(name) || e.name().equals(name)) {
                out.add(e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("unknown ending '" + name + "' (expected: a termination class such as "
                    + "FIN_ORDERLY, or a variant such as " + Ending.FIN_CLIENT + ")");
        }
        return out;
    }

    private void finish() {
        double acc = 0;
        for (Ending e : Ending.values()) {
            double w = weights[e.ordinal()];
            if (e.openEnded()) {
                openTotal += w;
            } else {
                acc += w;
            }
            cumulativeFinite[e.ordinal()] = acc;
        }
        finiteTotal = acc;
        if (finiteTotal <= 0) {
            throw new IllegalArgumentException("ending mix has no ending that finishes by itself (expected: some weight "
                    + "outside OPEN_AT_END)");
        }
    }

    /** Draws an ending that finishes by itself (open-ended flows are started separately, near the end). */
    Ending pickFinite(Rng rng) {
        double x = rng.nextDouble() * finiteTotal;
        Ending[] all = ALL;
        for (Ending e : all) {
            if (!e.openEnded() && weights[e.ordinal()] > 0 && x < cumulativeFinite[e.ordinal()]) {
                return e;
            }
        }
        for (int i = all.length - 1; i >= 0; i--) {
            if (!all[i].openEnded() && weights[i] > 0) {
                return all[i];
            }
        }
        throw new IllegalStateException("no finite ending");
    }

    /** Draws an open-ended variant. */
    Ending pickOpen(Rng rng) {
        double x = rng.nextDouble() * openTotal;
        for (Ending e : ALL) {
            if (e.openEnded()) {
                x -= weights[e.ordinal()];
                if (x < 0) {
                    return e;
                }
            }
        }
        return Ending.OPEN_EXCHANGING;
    }

    /** Share of all flows that should still be open when the capture ends. */
    double openShare() {
        return openTotal / (openTotal + finiteTotal);
    }

    /** The weights, per variant, for the scenario line. */
    public Map<Ending, Double> weights() {
        Map<Ending, Double> out = new EnumMap<>(Ending.class);
        for (Ending e : Ending.values()) {
            if (weights[e.ordinal()] > 0) {
                out.put(e, weights[e.ordinal()]);
            }
        }
        return out;
    }

    /** Weight of a whole class (all its variants). */
    public double weight(TerminationClass c) {
        double w = 0;
        for (Ending e : Ending.values()) {
            if (e.terminationClass() == c) {
                w += weights[e.ordinal()];
            }
        }
        return w;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Ending, Double> e : weights().entrySet()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            double w = e.getValue();
            sb.append(e.getKey()).append('=').append(w == Math.rint(w) ? Long.toString((long) w) : String.valueOf(w));
        }
        return sb.toString();
    }
}
