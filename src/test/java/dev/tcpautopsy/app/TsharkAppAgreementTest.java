package dev.tcpautopsy.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static dev.tcpautopsy.testing.Needs.need;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request, response and alert tshark decodes in the kernel-made samples and in corpus captures of
 * each protocol, segment by
 * segment ({@code tcp.desegment_tcp_streams:FALSE}), is reported by the tracker in the same frame and
 * direction with the same text (ours may be a bounded start of tshark's, ending in "..."), read
 * through the project's own capture reader and decoder; and each goodbye we report is its sender's last
 * message that tshark decoded too.
 *
 * <p>Frames tshark flags as retransmissions or out of order are left out: we read each byte once, by
 * design. By default a sample of each protocol's captures is checked (the test takes seconds); with
 * {@code -Dtcpautopsy.app.all=true} every capture of those folders is.
 */
class TsharkAppAgreementTest {
    private static final Pattern PICK = Pattern.compile("zeek/testing/btest/Traces/(http|tls|postgresql|mysql|pop3|redis|smtp)/.*"
            + "|zeek/testing/btest/Traces/smtp.*\\.pcap|suricata-verify/tests/(pgsql|imap|smtp|http2)[^/]*/.*"
            + "|suricata-verify/tests/pgsql/.*");
    /** Captures a sample always keeps: the named cases. */
    private static final List<String> ALWAYS = List.of("zeek/testing/btest/Traces/mysql/auth.pcap",
            "zeek/testing/btest/Traces/tls/tls-1.2-handshake-failure.pcap", "zeek/testing/btest/Traces/smtp.pcap",
            "suricata-verify/tests/imap-detection/input.pcap", "zeek/testing/btest/Traces/pop3/pop3.pcap",
            "zeek/testing/btest/Traces/tls/imap-starttls.pcap", "zeek/testing/btest/Traces/postgresql/psql-login-fail.pcap");
    private static final int PER_FOLDER = 4;

    /** Captures where tshark decodes messages we read otherwise: how many, and why (the capture, not the decoder, is odd). */
    static final Map<String, Integer> ALLOWED = Map.ofEntries(
            // response bodies that begin "POST request received successfully!": tshark reads such a segment as a
            // request line; we skip the body's Content-Length bytes
            Map.entry("zeek/testing/btest/Traces/http/content-length-in-request-body.pcap", 2),
            Map.entry("zeek/testing/btest/Traces/http/http-inner-transfer-encoding-reproducer.pcap", 1),
            Map.entry("zeek/testing/btest/Traces/http/smuggle-http-request.pcap", 2),
            // request smuggling: the GET inside a POST's body (Content-Length 2^64-1; chunked and Content-Length
            // both, where chunked wins, RFC 9112 6.3) is body to us, a request to tshark
            Map.entry("zeek/testing/btest/Traces/http/261/variant-02-cl_uint64max.pcap", 1),
            Map.entry("zeek/testing/btest/Traces/http/261/variant-04-te_cl_desync.pcap", 1),
            Map.entry("zeek/testing/btest/Traces/http/261/variant-10-multi_value_te.pcap", 1),
            // fuzzed status lines ("HTTP/!.4", "HTTP/5.?2"): no HTTP/1.x
            Map.entry("zeek/testing/btest/Traces/http/http-inner-transfer-encoding-ossfuzz.pcap", 3),
            Map.entry("zeek/testing/btest/Traces/redis/oss-fuzz-473580107.pcap", 6),
            // a 5,038-byte banner without CRLF, then a "250-" reply whose other lines never come: one endless
            // line and one unfinished reply as SMTP frames them; a reply a segment to tshark
            Map.entry("suricata-verify/tests/smtp-bug-6053/input.pcap", 5),
            // the last line of a multi-line reply in a segment of its own: the end of that reply to us, a reply to tshark
            Map.entry("suricata-verify/tests/smtp-extract-url-schemes/input.pcap", 1),
            Map.entry("zeek/testing/btest/Traces/smtp/rfc3030-bdat-nonascii.pcap", 1),
            // the client answered the server's 334 challenge with "QUIT", and the server took it as the answer (it
            // sent the next challenge): an answer to a challenge is never reported (it is usually a credential)
            Map.entry("suricata-verify/tests/smtp-long-command/input.pcap", 1),
            // a client's lone QUIT, the only payload of the connection: SMTP, POP3, FTP and IRC all have it (tshark
            // goes by port 25)
            Map.entry("suricata-verify/tests/smtp-quit/input.pcap", 1),
            // a LIST answer without its final "." line (crafted): the next +OK is inside it as POP3 frames it
            Map.entry("zeek/testing/btest/Traces/pop3/bad-list-retr-crafted.pcap", 1),
            // tshark shows an empty query: it does not read MySQL 9.0's query attributes, which we skip
            Map.entry("zeek/testing/btest/Traces/mysql/mysql-9.0.0-query-attributes.pcap", 1),
            // a query behind two named attributes starts past the 96 bytes kept of a packet: "COM_QUERY (query attributes)"
            Map.entry("zeek/testing/btest/Traces/mysql/many-query-attrs.pcap", 1));

    @Test
    void everyMessageTsharkDecodesIsReportedAlike() throws Exception {
        need(TsharkApp.available(), "tshark");
        String dir = System.getProperty("tcpautopsy.corpus");
        Path corpus = dir == null ? null : Path.of(dir);
        need(corpus != null && Files.isRegularFile(corpus.resolve("inventory.tsv")), "the corpus");
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        for (String f : pick(corpus, Boolean.getBoolean("tcpautopsy.app.all"))) {
            files.put(f, corpus.resolve(f));
        }
        String samples = System.getProperty("tcpautopsy.samples");
        if (samples != null && Files.isDirectory(Path.of(samples))) {
            try (var list = Files.list(Path.of(samples))) {
                list.filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng)(\\.gz)?")).sorted()
                        .forEach(p -> files.put("samples/" + p.getFileName(), p));
            }
        }
        Map<Integer, String> alerts = alertNames();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Result>> results = new ArrayList<>();
        files.forEach((name, path) -> results.add(pool.submit(() -> check(path, name, alerts))));
        pool.shutdown();
        Map<String, int[]> counts = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Future<Result> r : results) {
            Result x = r.get(5, TimeUnit.MINUTES);
            x.counts.forEach((k, v) -> {
                int[] c = counts.computeIfAbsent(k, q -> new int[3]);
                for (int i = 0; i < 3; i++) {
                    c[i] += v[i];
                }
            });
            int allowed = ALLOWED.getOrDefault(x.file, 0);
            if (Boolean.getBoolean("tcpautopsy.app.verbose") && !x.missed.isEmpty()) {
                System.out.println(x.file + ": " + x.missed);
            }
            if (x.missed.size() != allowed) {
                problems.add(x.file + ": " + x.missed.size() + " not reported alike (allowed " + allowed + "), e.g. "
                        + x.missed.subList(0, Math.min(4, x.missed.size())));
            }
        }
        StringBuilder sb = new StringBuilder("tshark agreement on " + files.size() + " captures (family: agreed/tshark, retransmitted frames left out):");
        counts.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v[0]).append('/').append(v[1])
                .append(v[2] > 0 ? " (" + v[2] + " retransmitted)" : ""));
        System.out.println(sb);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        for (String family : List.of("http", "tls", "postgresql", "mysql", "redis", "smtp", "imap", "pop3", "http2", "goodbye")) {
            assertTrue(counts.containsKey(family) && counts.get(family)[1] > 0, "nothing of " + family + " was compared");
        }
    }

    /** One capture's agreement: per family agreed, decoded by tshark, left out; the disagreements. */
    record Result(String file, Map<String, int[]> counts, List<String> missed) {
    }

    static Result check(Path file, String name, Map<Integer, String> alerts) throws IOException, InterruptedException {
        Map<Long, CaptureFeed.Place> places = new HashMap<>();
        List<CaptureFeed.Flow> flows = CaptureFeed.read(file, places, CaptureFeed.TRACKER);
        Map<Long, TsharkApp.Frame> frames = TsharkApp.read(file);
        Map<Long, List<CaptureFeed.Message>> ours = new HashMap<>();
        for (CaptureFeed.Flow f : flows) {
            for (CaptureFeed.Message m : f.messages) {
                ours.computeIfAbsent(m.frame(), k -> new ArrayList<>()).add(m);
            }
        }
        Map<String, int[]> counts = new TreeMap<>();
        List<String> missed = new ArrayList<>();
        Map<CaptureFeed.Flow, long[]> streams = new HashMap<>();
        Map<CaptureFeed.Flow, long[]> lastSaid = new HashMap<>(); // per direction, the last frame tshark decoded a message in
        for (TsharkApp.Frame fr : new TreeMap<>(frames).values()) {
            CaptureFeed.Place at = places.get(fr.number());
            if (at == null) {
                continue;
            }
            List<Expected.Message> exp = Expected.of(fr, at.fromClient(), alerts,
                    streams.computeIfAbsent(at.flow(), k -> new long[2]));
            boolean retransmitted = fr.has("tcp.analysis.retransmission") || fr.has("tcp.analysis.out_of_order");
            if (!exp.isEmpty() && !retransmitted) {
                lastSaid.computeIfAbsent(at.flow(), k -> new long[2])[at.fromClient() ? 0 : 1] = fr.number();
            }
            List<CaptureFeed.Message> mine = new ArrayList<>(ours.getOrDefault(fr.number(), List.of()));
            mine.removeIf(m -> m.fromClient() != at.fromClient());
            for (Expected.Message e : exp) {
                int[] c = counts.computeIfAbsent(e.family(), k -> new int[3]);
                if (retransmitted) {
                    c[2]++;
                    continue;
                }
                c[1]++;
                CaptureFeed.Message hit = mine.stream().filter(m -> e.ours().test(m.text())).findFirst().orElse(null);
                if (hit != null) {
                    mine.remove(hit);
                    c[0]++;
                } else {
                    missed.add("frame " + fr.number() + (e.fromClient() ? " client " : " server ") + e.family() + " '"
                            + e.what() + "' ours " + ours.getOrDefault(fr.number(), List.of()).stream()
                            .map(CaptureFeed.Message::text).toList());
                }
            }
        }
        // a goodbye is its sender's last message: tshark decoded none later from that side (where it decoded
        // nothing as late, a protocol it does not dissect there, there is nothing to compare)
        for (CaptureFeed.Flow f : flows) {
            AppMessage bye = f.facts().goodbye();
            long[] last = lastSaid.get(f);
            if (bye != null && last != null && last[bye.from().equals("client") ? 0 : 1] >= bye.frame()) {
                long theirs = last[bye.from().equals("client") ? 0 : 1];
                int[] c = counts.computeIfAbsent("goodbye", k -> new int[3]);
                c[1]++;
                if (theirs == bye.frame()) {
                    c[0]++;
                } else {
                    missed.add("goodbye " + bye + " but tshark's last message from the " + bye.from() + " is in frame " + theirs);
                }
            }
        }
        return new Result(name, counts, missed);
    }

    /** The captures of each folder of interest: all of them, or a few spread over each folder plus {@link #ALWAYS}. */
    static List<String> pick(Path corpus, boolean all) throws IOException {
        Map<String, List<String>> byFolder = new TreeMap<>();
        for (String line : Files.readAllLines(corpus.resolve("inventory.tsv"))) {
            String[] v = line.split("\t", -1);
            if (v.length > 6 && v[6].matches("[1-9]\\d*") && PICK.matcher(v[0]).matches()
                    && Long.parseLong(v[1]) < (all ? 2_000_000 : 200_000)) {
                String folder = v[0].startsWith("suricata-verify/") ? v[0].replaceAll("^suricata-verify/tests/([a-z]+).*", "$1")
                        : v[0].replaceAll("/[^/]*$", "");
                byFolder.computeIfAbsent(folder, k -> new ArrayList<>()).add(v[0]);
            }
        }
        List<String> out = new ArrayList<>();
        for (List<String> files : byFolder.values()) {
            if (all || files.size() <= PER_FOLDER) {
                out.addAll(files);
                continue;
            }
            for (int i = 0; i < PER_FOLDER; i++) {
                out.add(files.get(i * files.size() / PER_FOLDER));
            }
        }
        for (String a : ALWAYS) {
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** tshark's own names of TLS alert descriptions. */
    static Map<Integer, String> alertNames() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tshark", "-G", "values").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<Integer, String> out = new HashMap<>();
        for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
            String[] v = line.split("\t");
            if (v.length == 4 && v[0].equals("V") && v[1].equals("tls.alert_message.desc")) {
                out.put(Integer.parseInt(v[2]), v[3]);
            }
        }
        p.waitFor(1, TimeUnit.MINUTES);
        return out;
    }
}
