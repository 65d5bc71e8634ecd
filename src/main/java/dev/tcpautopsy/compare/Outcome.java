package dev.tcpautopsy.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * What one connection's segments did between the points: those lost on the way, those that appeared in
 * between, how many passed both points and how many could not be compared.
 */
final class Outcome {
    /** A segment seen at one point only. */
    record Miss(Seg seg, boolean atA, int dir, boolean retransmission) {
    }

    final List<Miss> lostAtoB = new ArrayList<>(), lostBtoA = new ArrayList<>();
    final List<Miss> appearedAtA = new ArrayList<>(), appearedAtB = new ArrayList<>();
    long matched, unseen;
    /** Per direction (0: client to server): whether the last segment its sender's side saw go out was lost. */
    final boolean[] lastLost = new boolean[2];
    /** Per direction: the time (at the sender's side) of the first of the losses that ran to the end. */
    final long[] lastRunStart = {Long.MAX_VALUE, Long.MAX_VALUE};

    boolean identical() {
        return lostAtoB.isEmpty() && lostBtoA.isEmpty() && appearedAtA.isEmpty() && appearedAtB.isEmpty();
    }

    List<Miss> lost() {
        List<Miss> all = new ArrayList<>(lostAtoB);
        all.addAll(lostBtoA);
        return all;
    }

    List<Miss> appeared() {
        List<Miss> all = new ArrayList<>(appearedAtA);
        all.addAll(appearedAtB);
        return all;
    }
}
