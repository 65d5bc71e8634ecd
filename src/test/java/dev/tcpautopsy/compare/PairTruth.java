package dev.tcpautopsy.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code samples/pairs/NAME.truth.tsv} (written by samples/lab/pairs.py): {@code #} header lines (with
 * {@code # idle-threshold:}), a header row, {@code conn} rows (each connection as A and as B saw it, {@code -}
 * where B never did, and its class and {@code by}), and {@code segment} rows (what the router dropped or made,
 * with its frame at the point where it was seen).
 */
record PairTruth(Path a, Path b, Duration idle, List<Conn> conns, Set<String> segments) {

    record Conn(String kind, String aClient, String aServer, String bClient, String bServer, String cls, String by) {
    }

    static PairTruth read(Path truth) throws IOException {
        Duration idle = Duration.ofSeconds(30);
        List<Conn> conns = new ArrayList<>();
        Set<String> segs = new TreeSet<>();
        for (String line : Files.readAllLines(truth)) {
            if (line.startsWith("# idle-threshold:")) {
                String v = line.substring("# idle-threshold:".length()).trim();
                idle = Duration.ofMillis((long) (Double.parseDouble(v.replace("s", "")) * 1000));
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f[0].equals("conn")) {
                conns.add(new Conn(f[1], f[4], f[5], f[6], f[7], f[8], f[9]));
            } else if (f[0].equals("segment")) {
                segs.add(f[1] + " " + (f[2].equals("-") ? f[3] : f[2]));
            }
        }
        String name = truth.getFileName().toString().replace(".truth.tsv", "");
        return new PairTruth(truth.resolveSibling(name + "-a.pcap"), truth.resolveSibling(name + "-b.pcap"), idle, conns,
                segs);
    }
}
