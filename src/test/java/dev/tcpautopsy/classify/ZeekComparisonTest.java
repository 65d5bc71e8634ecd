package dev.tcpautopsy.classify;

import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.tcpautopsy.model.TerminationClass.*;
import static dev.tcpautopsy.testing.Needs.need;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Zeek as a peer oracle: for every trace of {@code zeek-baselines/index.tsv} whose Zeek run was plain
 * ({@code plain} = yes or subset) and logged TCP rows, our pipeline's verdict for each Zeek row (matched
 * by the unordered 4-tuple, rows sharing one in log order) must be compatible with Zeek's
 * {@code conn_state}, per the README's mapping: Zeek's state is a lower bound, since a class earlier in
 * the contract's order may win on evidence Zeek does not look at. Every disagreement is listed with its
 * reason in {@code zeek-differences.tsv}; a listed difference that no longer occurs fails too.
 */
class ZeekComparisonTest {
    /** Classes decided on evidence Zeek ignores (idle gaps, TTLs, windows, unanswered retransmissions). */
    static final Set<TerminationClass> EVIDENCE = EnumSet.of(IDLE_TIMEOUT, MIDDLEBOX_RST, MIDDLEBOX_DROP, ZERO_WINDOW_STALL);
    static final Set<TerminationClass> RESETS = EnumSet.of(RST_AFTER_CLOSE, RST_UNREAD_DATA, RST_ABORT);

    @Test
    void ourVerdictsAreCompatibleWithZeeksConnStates() throws IOException {
        Path corpus = Paths.get(System.getProperty("tcpautopsy.corpus", "../shared/corpus"));
        Path base = corpus.resolve("zeek-baselines");
        need(Files.isRegularFile(base.resolve("index.tsv")), "zeek-baselines in " + corpus);
        Map<String, ZeekConnLog> byTrace = logsByTrace(base);
        Set<String> listed = listedDifferences();
        Set<String> seen = new LinkedHashSet<>();
        List<String> unlisted = new ArrayList<>();
        Map<String, Integer> agreeByState = new TreeMap<>(), rowsByState = new TreeMap<>();
        int rows = 0, agree = 0;
        for (var e : byTrace.entrySet()) {
            List<Flow> ours = CorpusFlows.analyze(corpus.resolve(e.getKey()));
            Map<String, List<Flow>> oursByTuple = new HashMap<>();
            for (Flow f : ours) {
                oursByTuple.computeIfAbsent(tuple(f.client().ip(), f.client().port(), f.server().ip(), f.server().port()),
                        k -> new ArrayList<>()).add(f);
            }
            Map<String, List<ZeekConnLog.Row>> zeekByTuple = new LinkedHashMap<>();
            for (ZeekConnLog.Row r : e.getValue().rows()) {
                zeekByTuple.computeIfAbsent(tuple(r.origH(), r.origP(), r.respH(), r.respP()), k -> new ArrayList<>()).add(r);
            }
            for (var z : zeekByTuple.entrySet()) {
                List<Flow> mine = oursByTuple.getOrDefault(z.getKey(), List.of());
                List<ZeekConnLog.Row> theirs = z.getValue();
                if (mine.size() != theirs.size()) {
                    // flow identity differs (README: Zeek splits after a close or its inactivity timeout): one
                    // listed entry for the 4-tuple, then each row is judged against any of our flows of it
                    ZeekConnLog.Row r0 = theirs.get(0);
                    String key = e.getKey() + "\t" + r0.orig() + "\t" + r0.resp() + "\tFLOWS\t" + theirs.size() + "/"
                            + mine.size();
                    seen.add(key);
                    if (!listed.contains(key)) {
                        unlisted.add(key + "\t" + r0.history() + "\t" + theirs.size() + " zeek rows, " + mine.size() + " ours");
                    }
                }
                for (int i = 0; i < theirs.size(); i++) {
                    ZeekConnLog.Row r = theirs.get(i);
                    rows++;
                    rowsByState.merge(r.state(), 1, Integer::sum);
                    Flow f = mine.size() == theirs.size() ? mine.get(i) : null;
                    boolean ok = f != null ? compatible(r, f) : mine.stream().anyMatch(m -> compatible(r, m));
                    if (ok) {
                        agree++;
                        agreeByState.merge(r.state(), 1, Integer::sum);
                        continue;
                    }
                    if (f == null && !mine.isEmpty()) {
                        f = mine.get(Math.min(i, mine.size() - 1));
                    }
                    String ourClass = f == null ? "MISSING" : f.termination().cls().name();
                    String key = e.getKey() + "\t" + r.orig() + "\t" + r.resp() + "\t" + r.state() + "\t" + ourClass;
                    if (seen.add(key) && !listed.contains(key)) {
                        unlisted.add(key + "\t" + r.history() + "\t" + (f == null ? "no flow of ours on this 4-tuple"
                                : f.termination().by().wire() + " " + f.termination().tags() + " " + f.termination().reason()));
                    }
                }
            }
        }
        List<String> stale = new ArrayList<>(listed);
        stale.removeAll(seen);
        System.out.println("zeek comparison: " + byTrace.size() + " traces, " + rows + " TCP rows compared, " + agree
                + " compatible, " + seen.size() + " listed differences; per state (compatible/rows): " + perState(agreeByState, rowsByState));
        assertTrue(rows >= 150, "expected the baselines' TCP rows, compared " + rows);
        if (!unlisted.isEmpty() || !stale.isEmpty()) {
            fail(unlisted.size() + " unlisted differences:\n" + String.join("\n", unlisted) + "\n" + stale.size()
                    + " listed differences that no longer occur:\n" + String.join("\n", stale));
        }
    }

    /** Whether our verdict fits Zeek's state (the README's mapping), by class and, where Zeek knows, by who reset. */
    static boolean compatible(ZeekConnLog.Row z, Flow f) {
        TerminationClass c = f.termination().cls();
        String by = f.termination().by().wire();
        boolean sawSynAck = z.history().indexOf('h') >= 0 || z.history().indexOf('H') >= 0;
        switch (z.state()) {
            case "REJ":
                return c == REFUSED || !sawSynAck && (RESETS.contains(c) || c == MIDDLEBOX_RST);
            case "S0":
                return c == HANDSHAKE_TIMEOUT || c == OPEN_AT_END || c == UNCLASSIFIED && z.history().matches(".*[ADF].*");
            case "S1":
                return c == OPEN_AT_END || EVIDENCE.contains(c)
                        || c == HANDSHAKE_TIMEOUT && z.history().indexOf('A') < 0 && z.respPkts() >= 2;
            case "SF":
                return c == FIN_ORDERLY || EVIDENCE.contains(c);
            case "S2":
            case "S3":
            case "SH":
            case "SHR":
                return c == OPEN_AT_END || c == UNCLASSIFIED || EVIDENCE.contains(c);
            case "RSTO":
                return RESETS.contains(c) && by.equals(z.origIsClient(f) ? "client" : "server") || EVIDENCE.contains(c);
            case "RSTR":
                return RESETS.contains(c) && by.equals(z.origIsClient(f) ? "server" : "client") || EVIDENCE.contains(c);
            case "RSTOS0":
                return c == HANDSHAKE_TIMEOUT || RESETS.contains(c) || c == MIDDLEBOX_RST;
            case "RSTRH":
                return RESETS.contains(c) || c == MIDDLEBOX_RST || c == UNCLASSIFIED;
            case "OTH":
                return c != REFUSED && c != HANDSHAKE_TIMEOUT;
            default:
                return false;
        }
    }

    private static Map<String, ZeekConnLog> logsByTrace(Path base) throws IOException {
        Map<String, ZeekConnLog> out = new TreeMap<>();
        List<String> lines = Files.readAllLines(base.resolve("index.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            String trace = f[1], plain = f[5];
            if (!(plain.equals("yes") || plain.equals("subset")) || Integer.parseInt(f[7]) == 0) {
                continue;
            }
            ZeekConnLog log = ZeekConnLog.read(base.resolve(f[4]));
            ZeekConnLog have = out.get(trace);
            // the logs of one trace agree (README); keep the fullest (a subset log drops flows)
            if (!log.rows().isEmpty() && (have == null || log.rows().size() > have.rows().size())) {
                out.put(trace, log);
            }
        }
        return out;
    }

    private static Set<String> listedDifferences() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        try (InputStream in = ZeekComparisonTest.class.getResourceAsStream("zeek-differences.tsv")) {
            if (in == null) {
                return out;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("trace\t")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                out.add(String.join("\t", f[0], f[1], f[2], f[3], f[4]));
            }
        }
        return out;
    }

    /** The unordered 4-tuple with parsed addresses, so that IPv6 spellings and Zeek's direction flips do not matter. */
    static String tuple(String ipA, int portA, String ipB, int portB) {
        String a = norm(ipA) + "/" + portA, b = norm(ipB) + "/" + portB;
        return a.compareTo(b) < 0 ? a + " " + b : b + " " + a;
    }

    static String norm(String ip) {
        try {
            return InetAddress.getByName(ip).getHostAddress();
        } catch (IOException e) {
            return ip;
        }
    }

    private static String perState(Map<String, Integer> agree, Map<String, Integer> rows) {
        StringBuilder b = new StringBuilder();
        rows.forEach((k, v) -> b.append(k).append(' ').append(agree.getOrDefault(k, 0)).append('/').append(v).append(", "));
        return b.length() > 2 ? b.substring(0, b.length() - 2) : "";
    }
}
