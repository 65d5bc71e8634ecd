package dev.tcpautopsy.findings;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Endpoint;
import dev.tcpautopsy.model.Finding;
import dev.tcpautopsy.model.FindingKind;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tcpautopsy.testing.Needs.need;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The findings on the application lab's captures (samples/app), made with real servers whose timers the lab
 * set: each timer inferred within 10 % of the configured one ({@code # timer:} lines of the .app.tsv), each
 * finding naming the endpoint, side and connections the truth files give, at the lab's idle threshold and at
 * the default one alike.
 */
class LabFindingsTest {
    private static final Path APP = Paths.get(System.getProperty("tcpautopsy.samples", "samples")).resolve("app");

    /** One configured timer: {@code port} -1 for any. */
    record Timer(String ip, int port, String side, double seconds) {
        Endpoint endpoint() {
            return new Endpoint(ip, port);
        }
    }

    /** One truth row. */
    record Row(String clientIp, int clientPort, String serverIp, int serverPort, String cls, String by, Set<String> tags) {
        Endpoint server() {
            return new Endpoint(serverIp, serverPort);
        }
    }

    static List<Timer> timers(String name) throws IOException {
        List<Timer> out = new ArrayList<>();
        Pattern p = Pattern.compile("# timer: (\\S+):(\\d+|\\*)\\t(\\w+)\\t([0-9.]+)s\\t.*");
        for (String l : Files.readAllLines(APP.resolve(name + ".app.tsv"))) {
            Matcher m = p.matcher(l);
            if (m.matches()) {
                out.add(new Timer(m.group(1), m.group(2).equals("*") ? -1 : Integer.parseInt(m.group(2)), m.group(3),
                        Double.parseDouble(m.group(4))));
            }
        }
        return out;
    }

    static List<Row> rows(String name) throws IOException {
        List<Row> out = new ArrayList<>();
        for (String l : Files.readAllLines(APP.resolve(name + ".truth.tsv"))) {
            if (l.startsWith("#") || l.startsWith("client_ip") || l.isBlank()) {
                continue;
            }
            String[] f = l.split("\t", -1);
            out.add(new Row(f[0], Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), f[4], f[5],
                    f[6].isBlank() ? Set.of() : Set.of(f[6].split(","))));
        }
        return out;
    }

    static CaptureReport analyze(String name, Duration threshold) {
        Path pcap = APP.resolve(name + ".pcap");
        need(Files.exists(pcap), "the application lab's " + pcap);
        AnalysisOptions o = new AnalysisOptions(threshold, false, 1, Set.of(), Set.of(), Set.of(), false);
        try (Analyzer a = new Analyzer(o)) {
            return a.analyze(List.of(Input.of(pcap)), null).report().captures().get(0);
        }
    }

    /** The streams of the truth's rows, found by their 4-tuples. */
    static Set<Long> streams(CaptureReport c, List<Row> rows) {
        Set<Long> out = new TreeSet<>();
        for (Row r : rows) {
            long found = -1;
            for (Flow f : c.flows()) {
                if (f.client().ip().equals(r.clientIp()) && f.client().port() == r.clientPort()
                        && f.server().ip().equals(r.serverIp()) && f.server().port() == r.serverPort()) {
                    found = f.stream();
                }
            }
            assertTrue(found >= 0, "no flow for " + r);
            out.add(found);
        }
        return out;
    }

    @Test
    void aServersRefusalsAreOneFindingThatQuotesThem() throws IOException {
        for (String name : List.of("postgres-goodbyes", "mariadb-goodbyes")) {
            CaptureReport c = analyze(name, Duration.ofSeconds(2));
            List<Flow> refused = new ArrayList<>();
            for (Flow f : c.flows()) {
                // the lab's timer column: a close its idle timer made is that timer's finding, not a rejection
                if (f.termination().tags().contains(Tag.APP_REJECTED) && labCell(name, f, "timer").isEmpty()) {
                    refused.add(f);
                }
            }
            Endpoint server = refused.get(0).server();
            Finding f = find(c, FindingKind.APP_REJECTIONS, server);
            assertNotNull(f, name + ": " + c.findings());
            Set<Long> streams = new TreeSet<>();
            refused.stream().filter(r -> r.server().equals(server)).forEach(r -> streams.add(r.stream()));
            assertEquals(streams, new TreeSet<>(f.streams()), name);
            String words = labCell(name, refused.get(0), "goodbye");
            assertEquals(words, f.more().get("words"), name);
            assertTrue(f.title().contains("\"" + words + "\""), f.title());
        }
    }

    @Test
    void anIdleTimersGoodbyesAreTheTimersFindingNotRejections() throws IOException {
        for (Duration threshold : new Duration[] {Duration.ofSeconds(2), Duration.ofSeconds(30)}) {
            CaptureReport c = analyze("postgres-idle-many", threshold);
            long idleGoodbyes = 0;
            for (Flow f : c.flows()) {
                if (f.termination().tags().contains(Tag.APP_REJECTED)) {
                    idleGoodbyes++;
                }
            }
            assertTrue(idleGoodbyes >= 2, "the lab's idle sessions ended with FATAL 57P05: " + idleGoodbyes);
            assertTrue(c.findings().stream().noneMatch(f -> f.kind() == FindingKind.APP_REJECTIONS), c.findings().toString());
            assertTrue(c.findings().stream().anyMatch(f -> f.kind() == FindingKind.IDLE_TIMEOUT_SETTING), c.findings().toString());
        }
    }

    /** A column of the lab's row for the flow's client port ({@code .app.tsv}). */
    static String labCell(String name, Flow flow, String column) throws IOException {
        List<String> lines = Files.readAllLines(APP.resolve(name + ".app.tsv"));
        List<String> header = null;
        for (String l : lines) {
            if (l.startsWith("#")) {
                continue;
            }
            List<String> cells = List.of(l.split("\t", -1));
            if (header == null) {
                header = cells;
            } else if (Integer.parseInt(cells.get(header.indexOf("client_port"))) == flow.client().port()) {
                return cells.get(header.indexOf(column));
            }
        }
        throw new AssertionError(name + ": no row for client port " + flow.client().port());
    }

    static Finding find(CaptureReport c, FindingKind kind, Endpoint endpoint) {
        for (Finding f : c.findings()) {
            if (f.kind() == kind && endpoint.equals(f.endpoint())) {
                return f;
            }
        }
        return null;
    }

    static void within10Percent(double configured, double inferred, String what) {
        assertTrue(Math.abs(inferred - configured) <= 0.1 * configured,
                what + ": inferred " + inferred + " s, configured " + configured + " s");
    }

    /** Every server timer the lab set: inferred within 10 %, at its endpoint, over the connections it closed. */
    private static void serverTimers(String name) throws IOException {
        List<Row> rows = rows(name);
        for (Duration threshold : new Duration[] {Duration.ofSeconds(2), Duration.ofSeconds(30)}) {
            CaptureReport c = analyze(name, threshold);
            int seen = 0;
            for (Timer t : timers(name)) {
                if (!t.side().equals("server")) {
                    continue;
                }
                // the connections it closed: idle ones, and those whose close a request crossed
                List<Row> closed = rows.stream().filter(r -> r.server().equals(t.endpoint()) && r.by().equals("server")
                        && (r.cls().equals("IDLE_TIMEOUT") || r.tags().contains("KEEPALIVE_RACE"))).toList();
                Finding f = find(c, FindingKind.IDLE_TIMEOUT_SETTING, t.endpoint());
                String where = name + " at " + threshold + ": " + t;
                assertNotNull(f, where + ": no finding in " + c.findings());
                assertEquals("server", f.side(), where);
                within10Percent(t.seconds(), f.seconds(), where);
                assertEquals(closed.size(), f.count(), where + " " + f.title());
                assertEquals(streams(c, closed), new TreeSet<>(f.streams()), where);
                seen++;
            }
            long timersFound = c.findings().stream().filter(f -> f.kind() == FindingKind.IDLE_TIMEOUT_SETTING).count();
            assertEquals(seen, timersFound, name + ": a timer the lab did not set: " + c.findings());
        }
    }

    @Test
    void postgresIdleSessionTimeout() throws IOException {
        serverTimers("postgres-idle-many");
    }

    @Test
    void redisTimeout() throws IOException {
        serverTimers("redis-idle-many");
    }

    @Test
    void nginxKeepaliveTimeoutsBehindHaproxy() throws IOException {
        serverTimers("proxy-keepalive-many");
    }

    @Test
    void theKeepaliveRaceNamesBothTimers() throws IOException {
        String name = "proxy-keepalive-many";
        List<Row> rows = rows(name);
        List<Timer> timers = timers(name);
        Timer proxy = timers.stream().filter(t -> t.side().equals("client")).findFirst().orElseThrow();
        CaptureReport c = analyze(name, Duration.ofSeconds(2));
        for (Timer t : timers) {
            List<Row> raced = rows.stream().filter(r -> r.server().equals(t.endpoint())
                    && r.tags().contains("KEEPALIVE_RACE")).toList();
            if (!t.side().equals("server") || raced.isEmpty()) {
                continue;
            }
            Finding f = find(c, FindingKind.KEEPALIVE_RACE, t.endpoint());
            assertNotNull(f, t + ": no race in " + c.findings());
            assertEquals("server", f.side());
            assertEquals(raced.size(), f.count(), f.title());
            assertEquals(streams(c, raced), new TreeSet<>(f.streams()));
            within10Percent(t.seconds(), f.seconds(), t + " (the server's timer)");
            // the proxy's timer never fires here (the backends close first): what shows is a lower bound of it
            Double client = (Double) f.more().get("clientSeconds");
            assertNotNull(client, f.toString());
            assertTrue(client >= t.seconds() * 0.9 && client <= proxy.seconds(),
                    "the proxy kept connections " + client + " s, configured " + proxy.seconds() + " s");
            assertEquals(proxy.ip(), f.more().get("clients"));
            assertNotNull(f.fix());
        }
    }

    @Test
    void conntrackExpiryIsABlackholeWhoseTimeoutTheDropsBracket() throws IOException {
        String name = "conntrack-blackhole-many";
        Timer t = timers(name).get(0);
        assertEquals("middlebox", t.side());
        List<Row> dropped = rows(name).stream().filter(r -> r.by().equals("middlebox")).toList();
        for (Duration threshold : new Duration[] {Duration.ofSeconds(2), Duration.ofSeconds(30)}) {
            CaptureReport c = analyze(name, threshold);
            Finding f = find(c, FindingKind.BLACKHOLE, t.endpoint());
            assertNotNull(f, c.findings().toString());
            assertEquals("middlebox", f.side());
            assertEquals(dropped.size(), f.count());
            assertEquals(streams(c, dropped), new TreeSet<>(f.streams()));
            // the capture holds no idle time near the timeout: it can only bracket it
            double survived = (Double) f.more().get("survivedSeconds");
            assertTrue(survived < t.seconds() && t.seconds() <= f.seconds(),
                    "configured " + t.seconds() + " s between " + survived + " and " + f.seconds() + " s");
        }
    }

    @Test
    void injectedRstsAreOneDeviceAtItsHopDistance() throws IOException {
        String name = "injected-rst-many";
        String scenario = Files.readAllLines(APP.resolve(name + ".truth.tsv")).get(0);
        Matcher m = Pattern.compile("the forged RSTs (\\d+)").matcher(scenario);
        assertTrue(m.find(), scenario);
        int ttl = Integer.parseInt(m.group(1));
        List<Row> forged = rows(name).stream().filter(r -> r.cls().equals("MIDDLEBOX_RST")).toList();
        for (Duration threshold : new Duration[] {Duration.ofMillis(500), Duration.ofSeconds(30)}) {
            CaptureReport c = analyze(name, threshold);
            List<Finding> devices = c.findings().stream().filter(f -> f.kind() == FindingKind.INJECTED_RST).toList();
            assertEquals(1, devices.size(), c.findings().toString());
            Finding f = devices.get(0);
            assertEquals(forged.get(0).server(), f.endpoint());
            assertEquals("middlebox", f.side());
            assertEquals(forged.size(), f.count());
            assertEquals(streams(c, forged), new TreeSet<>(f.streams()));
            assertEquals(ttl, f.more().get("ttl"));
            assertEquals(64 - ttl, f.more().get("hops"));
        }
    }
}
