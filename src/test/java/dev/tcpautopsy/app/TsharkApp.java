package dev.tcpautopsy.app;

import java.io.BufferedReader;
import java.io.File;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * tshark's application fields of every frame that has one, dissected segment by segment
 * ({@code tcp.desegment_tcp_streams:FALSE}: a message is shown in the frame of its first byte).
 */
final class TsharkApp {
    static final String[] FIELDS = {"frame.number", "tcp.analysis.retransmission", "tcp.analysis.out_of_order",
        "http.request.method", "http.request.uri", "http.request.version", "http.host", "http.response.version",
        "http.response.code", "http.response.phrase", "http.connection",
        "tls.handshake.type", "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str",
        "tls.alert_message.level", "tls.alert_message.desc", "tls.record.content_type",
        "pgsql.type", "pgsql.query", "pgsql.severity", "pgsql.code", "pgsql.message", "pgsql.tag", "pgsql.authtype",
        "pgsql.parameter_name", "pgsql.parameter_value",
        "mysql.version", "mysql.user", "mysql.command", "mysql.query", "mysql.error_code", "mysql.error.message",
        "smtp.req.command", "smtp.response.code", "smtp.rsp.parameter",
        "imap.request_tag", "imap.request.command", "imap.response_tag", "imap.response.status", "imap.line",
        "pop.request.command", "pop.response.indicator", "pop.response.description",
        "resp.array.length", "resp.bulk_string.value", "resp.string", "resp.error",
        "http2.type", "http2.streamid", "_ws.col.Protocol"};
    private static final String SEP = "\u001f", AGG = "\u001e";

    /** One frame's fields: each field's values, in the order tshark shows them. */
    record Frame(long number, Map<String, List<String>> values) {
        List<String> all(String field) {
            return values.getOrDefault(field, List.of());
        }

        String first(String field) {
            List<String> v = all(field);
            return v.isEmpty() ? null : v.get(0);
        }

        boolean has(String field) {
            return !all(field).isEmpty();
        }
    }

    private TsharkApp() {
    }

    /** Whether tshark is on the PATH. */
    static boolean available() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "tshark")));
    }

    /** Frames of {@code capture} with at least one application field, by frame number. */
    static Map<Long, Frame> read(Path capture) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-o", "tcp.desegment_tcp_streams:FALSE", "-r",
                capture.toString(), "-Y", "http or tls or pgsql or mysql or smtp or imap or pop or resp or http2",
                "-T", "fields", "-E", "separator=" + SEP, "-E", "occurrence=a", "-E", "aggregator=" + AGG));
        for (String f : FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<Long, Frame> out = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] v = line.split(SEP, -1);
                if (v.length != FIELDS.length || v[0].isEmpty()) {
                    continue;
                }
                Map<String, List<String>> m = new HashMap<>();
                for (int i = 1; i < v.length; i++) {
                    if (!v[i].isEmpty()) {
                        m.put(FIELDS[i], Arrays.asList(v[i].split(AGG, -1)));
                    }
                }
                long n = Long.parseLong(v[0]);
                out.put(n, new Frame(n, m));
            }
        }
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("tshark timed out on " + capture);
        }
        return out;
    }

    /**
     * tshark's text of a string field as our texts show it: its escapes undone ({@code \r}, {@code \xNN},
     * octal), then each byte outside printable ASCII as '?'.
     */
    static String plain(String v) {
        return plain(v, false);
    }

    /** As {@link #plain(String)}, with white space runs as one space and none at either end (a query's words). */
    static String plainWords(String v) {
        return plain(v, true);
    }

    private static String plain(String v, boolean words) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] in = v.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\\' && i + 1 < in.length) {
                char c = (char) in[i + 1];
                int esc = switch (c) {
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case '\\' -> '\\';
                    case '"' -> '"';
                    default -> -1;
                };
                if (esc >= 0) {
                    b.write(esc);
                    i++;
                    continue;
                }
                if (c == 'x' && i + 3 < in.length) {
                    b.write(Integer.parseInt(new String(in, i + 2, 2, StandardCharsets.US_ASCII), 16));
                    i += 3;
                    continue;
                }
                if (c >= '0' && c <= '7' && i + 3 < in.length) {
                    b.write(Integer.parseInt(new String(in, i + 1, 3, StandardCharsets.US_ASCII), 8));
                    i += 3;
                    continue;
                }
            }
            b.write(in[i]);
        }
        StringBuilder sb = new StringBuilder();
        for (byte x : b.toByteArray()) {
            boolean space = x == ' ' || x == '\t' || x == '\r' || x == '\n';
            if (words && space) {
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
                    sb.append(' ');
                }
                continue;
            }
            sb.append(x >= 0x20 && x < 0x7f ? (char) x : '?');
        }
        return words ? sb.toString().strip() : sb.toString();
    }
}
