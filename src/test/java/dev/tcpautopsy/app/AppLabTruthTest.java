package dev.tcpautopsy.app;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.Analyzer;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.classify.SampleTruth;
import dev.tcpautopsy.model.AppContext;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.tcpautopsy.testing.Needs.need;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the applications said in the lab's captures, as the lab recorded it from the real servers
 * ({@code samples/app/*.app.tsv}, see samples/README.md): the real analyzer runs on each capture with the
 * idle threshold of its {@code .truth.tsv}, and each row's flow must report the same protocol; the same
 * last request, last response and goodbye (frame and sender); the same unanswered, SNI, ALPN and first
 * alert (frame and sender); the same texts by {@link #sameText}; REQUEST_LOST exactly where a request
 * the lab says was unanswered was cut by the server's close (the server, or RSTs forged in its name,
 * ended the connection: the truth file's {@code by}); APP_REJECTED exactly where the lab's goodbye is the
 * server's refusal (an error, a FATAL, a 4xx/5xx, a fatal alert).
 */
class AppLabTruthTest {
    /** Differences the two definitions leave, "capture:client port field", each with its reason. */
    static final Map<String, String> ALLOWED;

    static {
        String why = "openssl s_server sends no application data back: the lab names no response, yet counts the"
                + " client's record as answered; the server's encrypted close_notify (frame 47) ended what was owed, and"
                + " a message that answers a request owed is a response here, as the fatal alerts that answered the"
                + " ClientHellos of ports 50248 and 41592 are to the lab too";
        ALLOWED = Map.of("tls-goodbyes:37622 response", why, "tls-goodbyes:37622 response text", why);
    }

    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.\\d (\\d{3})( .*)?");
    private static final Pattern COLUMNS = Pattern.compile("\\((\\d+) columns?\\)");
    private static final Pattern LITERAL = Pattern.compile("'(?:[^'\\\\]|\\\\.|'')*'|\"(?:[^\"\\\\]|\\\\.|\"\")*\"");
    private static final String[] FIELDS = {"protocol", "request", "response", "unanswered", "goodbye", "sni", "alpn",
        "alert", "request text", "response text", "goodbye text", "alert text", "REQUEST_LOST", "APP_REJECTED"};

    @Test
    void everyRowOfTheLabIsReportedAlike() throws IOException {
        Path dir = Path.of(System.getProperty("tcpautopsy.samples", "samples")).resolve("app");
        need(Files.isDirectory(dir), "samples/app at " + dir);
        List<Path> tables;
        try (Stream<Path> s = Files.list(dir)) {
            tables = s.filter(p -> p.getFileName().toString().endsWith(".app.tsv")).sorted().toList();
        }
        assertTrue(tables.size() >= 13, "expected the lab's 13+ application tables, found " + tables.size());
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (String f : FIELDS) {
            counts.put(f, new int[2]);
        }
        List<String> wrong = new ArrayList<>();
        Set<String> allowedSeen = new TreeSet<>();
        for (Path table : tables) {
            String name = table.getFileName().toString().replace(".app.tsv", "");
            SampleTruth truth = SampleTruth.read(dir.resolve(name + ".truth.tsv"));
            List<Flow> flows = analyze(truth);
            for (Map<String, String> row : rows(table)) {
                String where = name + ":" + row.get("client_port");
                Flow flow = flows.stream().filter(f -> matches(f, row)).findFirst().orElse(null);
                if (flow == null) {
                    wrong.add(where + ": no such flow in the report");
                    continue;
                }
                SampleTruth.Row t = truth.rows().stream().filter(r -> r.clientPort() == flow.client().port()
                        && r.serverPort() == flow.server().port()).findFirst().orElseThrow();
                compare(row, flow, t, (field, ok, ours, lab) -> {
                    int[] c = counts.get(field);
                    c[1]++;
                    String key = where + " " + field;
                    if (ok) {
                        c[0]++;
                    } else if (ALLOWED.containsKey(key)) {
                        allowedSeen.add(key);
                    } else {
                        wrong.add(key + ": ours " + ours + ", the lab's " + lab);
                    }
                });
            }
        }
        StringBuilder sb = new StringBuilder("the lab's application truth (field: agreed/rows):");
        counts.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v[0]).append('/').append(v[1]));
        System.out.println(sb);
        assertEquals(new TreeSet<>(ALLOWED.keySet()), allowedSeen, "allowed differences that no longer occur");
        assertTrue(wrong.isEmpty(), wrong.size() + " differences:\n" + String.join("\n", wrong));
    }

    interface Check {
        void field(String field, boolean ok, Object ours, Object lab);
    }

    private static void compare(Map<String, String> row, Flow flow, SampleTruth.Row truth, Check check) {
        AppContext a = flow.app();
        String protocol = row.get("protocol");
        check.field("protocol", a != null && protocol.equals(a.protocol()), a == null ? null : a.protocol(), protocol);
        if (a == null) {
            return;
        }
        AppContext.AppMessage req = a.lastRequest(), rsp = a.lastResponse(), bye = a.goodbye();
        AppContext.AppMessage alert = a.tls() == null ? null : a.tls().alert();
        message(check, "request", req, row.get("request_frame"), "client");
        message(check, "response", rsp, row.get("response_frame"), "server");
        check.field("unanswered", Boolean.valueOf(row.get("unanswered")).equals(a.unanswered()), a.unanswered(), row.get("unanswered"));
        message(check, "goodbye", bye, row.get("goodbye_frame"), row.get("goodbye_from"));
        String sni = a.tls() == null ? null : a.tls().sni(), alpn = a.tls() == null ? null : a.tls().alpn();
        check.field("sni", Objects.equals(sni, cell(row, "sni")), sni, cell(row, "sni"));
        check.field("alpn", Objects.equals(alpn, cell(row, "alpn")), alpn, cell(row, "alpn"));
        message(check, "alert", alert, row.get("alert_frame"), row.get("alert_from"));
        text(check, "request text", protocol, cell(row, "request"), req);
        text(check, "response text", protocol, cell(row, "response"), rsp);
        text(check, "goodbye text", protocol, cell(row, "goodbye"), bye);
        text(check, "alert text", protocol, cell(row, "alert"), alert);
        var tags = flow.termination().tags();
        // the request crossed a close of the server's, or of RSTs forged in its name
        boolean lost = row.get("unanswered").equals("true")
                && (truth.by().equals("server") || truth.cls().equals("MIDDLEBOX_RST"));
        check.field("REQUEST_LOST", tags.contains(Tag.REQUEST_LOST) == lost, tags, lost ? "lost" : "not lost");
        boolean refused = "server".equals(row.get("goodbye_from")) && refusal(row.get("goodbye"));
        check.field("APP_REJECTED", tags.contains(Tag.APP_REJECTED) == refused, tags, refused ? "refused" : "not refused");
    }

    /** A message's frame and sender against the lab's (an empty frame: no such message). */
    private static void message(Check check, String field, AppContext.AppMessage ours, String frame, String from) {
        String lab = frame.isEmpty() ? null : frame + " " + from;
        String mine = ours == null ? null : ours.frame() + " " + ours.from();
        check.field(field, Objects.equals(mine, lab), mine, lab);
    }

    private static void text(Check check, String field, String protocol, String lab, AppContext.AppMessage ours) {
        String mine = ours == null ? null : ours.text();
        check.field(field, lab == null ? mine == null : mine != null && sameText(protocol, lab, mine), mine, lab);
    }

    /**
     * Whether our text names the message the lab's text names. The lab spells some messages its own way;
     * what each is decides the mapping. HTTP start lines, errors (MySQL ERR, PostgreSQL FATAL, Redis
     * -ERR) and Redis replies must be equal. Otherwise, by the message:
     * PostgreSQL {@code Query "SQL"} is the query's words, literals masked; {@code PasswordMessage (md5)}
     * is the password message; {@code RowDescription} the answer's first message with its column count;
     * {@code Terminate} the same. MySQL {@code Login user=u} is the login; {@code COM_QUERY "SQL"} the
     * query's words, literals masked; {@code ResultSet (n columns)} the result set's first packet. Redis
     * command words are the command's name alone (arguments are never shown). TLS {@code ClientHello} is
     * the ClientHello (its names are compared as sni and alpn); {@code Alert fatal x} the alert's level
     * and name; {@code x (encrypted alert)} an encrypted alert, as the wire shows it; {@code Application
     * Data (what it carried)} an application data record, by its size.
     */
    static boolean sameText(String protocol, String lab, String ours) {
        boolean error = lab.startsWith("ERR ") || lab.startsWith("FATAL ") || lab.startsWith("-");
        if (protocol.equals("http") || error || protocol.equals("redis") && "+:$*".indexOf(lab.charAt(0)) >= 0) {
            return ours.equals(lab);
        }
        Matcher q = Pattern.compile("(?:Query|COM_QUERY) \"(.*)\"").matcher(lab);
        if (q.matches()) {
            return ours.equals(masked(q.group(1)));
        }
        return switch (protocol) {
            case "postgresql" -> lab.startsWith("PasswordMessage") ? ours.equals("password message")
                    : lab.equals("RowDescription") ? ours.matches("RowDescription \\(\\d+ columns?\\)") : ours.equals(lab);
            case "mysql" -> lab.startsWith("Login user=") ? ours.equals("login user=" + lab.substring("Login user=".length()))
                    : lab.startsWith("ResultSet ") && COLUMNS.matcher(lab).find()
                    ? ours.equals("result set " + lab.substring("ResultSet ".length())) : ours.equals(lab);
            case "redis" -> ours.equals(lab.split(" ", 2)[0].toUpperCase());
            case "tls" -> lab.equals("ClientHello") ? ours.startsWith("ClientHello")
                    : lab.startsWith("Alert ") ? ours.equals(lab.substring("Alert ".length()))
                    : lab.endsWith("(encrypted alert)") ? ours.equals("encrypted alert")
                    : lab.startsWith("Application Data (") ? ours.matches("application data \\(\\d+ bytes\\)") : ours.equals(lab);
            default -> ours.equals(lab);
        };
    }

    /** The lab's words for a refusal: an error, a FATAL, an HTTP 4xx/5xx, a fatal alert. */
    static boolean refusal(String lab) {
        if (lab == null || lab.isEmpty()) {
            return false;
        }
        Matcher m = STATUS.matcher(lab);
        return m.matches() ? Integer.parseInt(m.group(1)) >= 400
                : lab.startsWith("ERR ") || lab.startsWith("FATAL ") || lab.startsWith("-") || lab.startsWith("Alert fatal ");
    }

    /** A query as a report shows it: quoted string literals as '?'. */
    static String masked(String sql) {
        return LITERAL.matcher(sql.strip().replaceAll("\\s+", " ")).replaceAll("'?'");
    }

    private static String cell(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null || v.isEmpty() ? null : v;
    }

    private static boolean matches(Flow f, Map<String, String> row) {
        return f.client().port() == Integer.parseInt(row.get("client_port"))
                && f.server().port() == Integer.parseInt(row.get("server_port"))
                && SampleTruth.ip(f.client().ip()).equals(SampleTruth.ip(row.get("client_ip")))
                && SampleTruth.ip(f.server().ip()).equals(SampleTruth.ip(row.get("server_ip")));
    }

    /** The table's rows, by column name. */
    static List<Map<String, String>> rows(Path table) throws IOException {
        List<String> lines = Files.readAllLines(table).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split("\t", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), i < v.length ? v[i] : "");
            }
            out.add(row);
        }
        return out;
    }

    private static List<Flow> analyze(SampleTruth truth) {
        AnalysisOptions d = AnalysisOptions.defaults();
        AnalysisOptions o = new AnalysisOptions(truth.idleThreshold() != null ? truth.idleThreshold() : d.idleThreshold(),
                false, 1, Set.of(), Set.of(), Set.of(), false);
        try (Analyzer a = new Analyzer(o)) {
            CaptureReport c = a.analyze(List.of(Input.of(truth.capture())), null).report().captures().get(0);
            assertTrue(c.complete(), truth.capture() + " not read to its end: " + c.error());
            List<Flow> out = new ArrayList<>();
            c.flows().forEach(out::add);
            return out;
        }
    }
}
