package dev.tcpautopsy.app;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages tshark decoded in one frame, each with a test of our text built from tshark's fields
 * alone (never from our decoder): one protocol family each, for agreement counts per protocol.
 */
final class Expected {
    /** One message tshark decoded: which family, what it said, and whether a text of ours says the same. */
    record Message(String family, boolean fromClient, String what, Predicate<String> ours) {
    }

    /** Method, target, the rest of the request line (tshark's version), Host. */
    private static final Pattern HTTP_REQ = Pattern.compile("(\\S+)(?: (?!\\(Host: )(\\S*))?(?: (?!\\(Host: )(.+?))?( \\(Host: (.*)\\))?");
    /** A tagged status response, or an untagged BYE, as the server's line (tag: atom characters, RFC 9051 9). */
    private static final Pattern IMAP_STATUS = Pattern.compile("((?:[^\\s(){%*\"\\\\+\\]?]+ (?:OK|NO|BAD)|\\* BYE)\\b.*?)\\?*");
    private static final Pattern HTTP_RSP = Pattern.compile("(HTTP/\\d\\.\\d) (\\d{3})( (.*?))?( \\(Connection: close\\))?");

    private Expected() {
    }

    /**
     * @param alerts tshark's names of TLS alert descriptions (from {@code tshark -G values})
     * @param streams per connection and direction, the highest HTTP/2 stream seen so far (updated)
     */
    static List<Message> of(TsharkApp.Frame f, boolean fromClient, Map<Integer, String> alerts, long[] streams) {
        List<Message> out = new ArrayList<>();
        http(f, fromClient, out);
        tls(f, fromClient, alerts, out);
        pgsql(f, fromClient, out);
        mysql(f, fromClient, out);
        lines(f, fromClient, out);
        redis(f, fromClient, out);
        http2(f, fromClient, streams, out);
        return out;
    }

    private static void http(TsharkApp.Frame f, boolean c, List<Message> out) {
        List<String> m = f.all("http.request.method"), u = f.all("http.request.uri"), v = f.all("http.request.version"),
                h = f.all("http.host");
        for (int i = 0; i < m.size(); i++) {
            String method = m.get(i), uri = i < u.size() ? pathOnly(TsharkApp.plain(u.get(i))) : "",
                    version = v.size() == m.size() ? TsharkApp.plain(v.get(i)) : m.size() == 1 && v.isEmpty() ? "" : null,
                    host = h.size() == m.size() ? TsharkApp.plain(h.get(i)) : null;
            out.add(new Message("http", c, method + " " + uri + " " + version + (host == null ? "" : " Host " + host), t -> {
                Matcher x = HTTP_REQ.matcher(t);
                return x.matches() && x.group(1).equals(method) && prefix(x.group(2) == null ? "" : x.group(2), uri)
                        // a request line longer than its segment: tshark shows no version, ours is from the line's end
                        && (version == null || version.isEmpty() ? x.group(3) == null || version == null || x.group(2).endsWith("...")
                        : x.group(3) != null && prefix(x.group(3), version))
                        && (host == null || x.group(5) != null && prefix(x.group(5), host));
            }));
        }
        List<String> code = f.all("http.response.code"), rv = f.all("http.response.version"),
                ph = f.all("http.response.phrase"), conn = f.all("http.connection");
        for (int i = 0; i < code.size(); i++) {
            String k = code.get(i), ver = i < rv.size() ? rv.get(i) : "?",
                    phrase = ph.size() == code.size() ? TsharkApp.plain(ph.get(i)) : null;
            boolean close = conn.size() == code.size() && conn.get(i).toLowerCase().contains("close");
            out.add(new Message("http", c, ver + " " + k + " " + phrase + (close ? " close" : ""), t -> {
                Matcher x = HTTP_RSP.matcher(t);
                return x.matches() && x.group(1).equals(ver) && x.group(2).equals(k)
                        && (phrase == null || phrase.isEmpty() && x.group(4) == null
                        || x.group(4) != null && prefix(x.group(4), phrase))
                        && (!close || x.group(5) != null);
            }));
        }
    }

    private static void tls(TsharkApp.Frame f, boolean c, Map<Integer, String> alerts, List<Message> out) {
        List<String> types = f.all("tls.handshake.type");
        String sni = f.first("tls.handshake.extensions_server_name");
        String alpn = f.has("tls.handshake.extensions_alpn_str")
                ? String.join(",", f.all("tls.handshake.extensions_alpn_str")) : null;
        long hellos = types.stream().filter(t -> t.equals("1")).count();
        for (String t : types) {
            if (t.equals("1") && c) {
                String s = hellos == 1 ? sni : null, a = hellos == 1 ? alpn : null;
                out.add(new Message("tls", c, "ClientHello " + s + " " + a, x -> x.startsWith("ClientHello")
                        && (s == null || x.contains("SNI: " + s)) && (a == null || x.contains("ALPN: " + a))));
            } else if (t.equals("2") && !c) {
                out.add(new Message("tls", c, "ServerHello", x -> x.equals("ServerHello")));
            }
        }
        List<String> lv = f.all("tls.alert_message.level"), ds = f.all("tls.alert_message.desc");
        long encrypted = f.all("tls.record.content_type").stream().filter(t -> t.equals("21")).count() - lv.size();
        for (long i = 0; i < encrypted; i++) {
            out.add(new Message("tls", c, "encrypted alert", x -> x.equals("encrypted alert")));
        }
        for (int i = 0; i < Math.min(lv.size(), ds.size()); i++) {
            String level = lv.get(i).equals("1") ? "warning" : lv.get(i).equals("2") ? "fatal" : null;
            String name = alerts.get(Integer.parseInt(ds.get(i)));
            if (level != null && name != null) {
                String text = level + " " + name.toLowerCase().replace(' ', '_');
                out.add(new Message("tls", c, text, x -> x.equals(text)));
            }
        }
    }

    private static void pgsql(TsharkApp.Frame f, boolean c, List<Message> out) {
        List<String> q = f.all("pgsql.query"), sev = f.all("pgsql.severity"), code = f.all("pgsql.code"),
                msg = f.all("pgsql.message"), tag = f.all("pgsql.tag"), auth = f.all("pgsql.authtype"),
                pn = f.all("pgsql.parameter_name"), pv = f.all("pgsql.parameter_value");
        int qi = 0, ei = 0, ti = 0, ai = 0;
        for (String type : f.all("pgsql.type")) {
            switch (type) {
                case "Simple query", "Parse" -> {
                    if (qi < q.size()) {
                        String query = literalsMasked(TsharkApp.plainWords(q.get(qi++)), false);
                        out.add(new Message("postgresql", c, "query " + query, x -> prefix(x, query)));
                    }
                }
                case "Error", "Notice" -> {
                    if (ei < code.size() && ei < sev.size() && ei < msg.size()) {
                        String text = sev.get(ei) + " " + code.get(ei) + " " + TsharkApp.plain(msg.get(ei));
                        ei++;
                        out.add(new Message("postgresql", c, text, x -> prefix(x, text)));
                    }
                }
                case "Command completion" -> {
                    if (ti < tag.size()) {
                        String text = TsharkApp.plain(tag.get(ti++));
                        out.add(new Message("postgresql", c, text, x -> prefix(x, text)));
                    }
                }
                case "Authentication request" -> {
                    if (ai < auth.size()) {
                        String name = switch (auth.get(ai++)) {
                            case "0" -> "ok";
                            case "3" -> "cleartext password";
                            case "5" -> "MD5 password";
                            case "10" -> "SASL";
                            case "11" -> "SASL continue";
                            case "12" -> "SASL final";
                            default -> null;
                        };
                        if (name != null) {
                            out.add(new Message("postgresql", c, "authentication " + name,
                                    x -> x.equals("authentication " + name)));
                        }
                    }
                }
                case "Startup message" -> {
                    StringBuilder sb = new StringBuilder("startup");
                    for (int i = 0; i < Math.min(pn.size(), pv.size()); i++) {
                        if (pn.get(i).equals("user") || pn.get(i).equals("database")) {
                            sb.append(' ').append(pn.get(i)).append('=').append(TsharkApp.plain(pv.get(i)));
                        }
                    }
                    String text = sb.toString();
                    out.add(new Message("postgresql", c, text, x -> prefix(x, text)));
                }
                default -> {
                }
            }
        }
    }

    private static void mysql(TsharkApp.Frame f, boolean c, List<Message> out) {
        List<String> ec = f.all("mysql.error_code"), em = f.all("mysql.error.message");
        for (int i = 0; i < ec.size(); i++) {
            String code = ec.get(i), m = i < em.size() ? TsharkApp.plain(em.get(i)) : "";
            out.add(new Message("mysql", c, "ERR " + code + " " + m, x -> x.startsWith("ERR " + code + " ")
                    && prefix(x.replaceFirst("^ERR \\d+ (\\(\\w{5}\\) )?", ""), m)));
        }
        for (String v : f.all("mysql.version")) {
            String text = "greeting " + TsharkApp.plain(v);
            out.add(new Message("mysql", c, text, x -> prefix(x, text)));
        }
        if (c) {
            List<String> q = f.all("mysql.query"), cmds = f.all("mysql.command");
            for (String u : cmds.contains("17") ? List.<String>of() : f.all("mysql.user")) {
                String text = "login user=" + TsharkApp.plain(u);
                out.add(new Message("mysql", c, text, x -> prefix(x, text)));
            }
            int qi = 0;
            for (String cmd : cmds) {
                int k = Integer.parseInt(cmd);
                if (k == 3 || k == 22) {
                    String query = qi < q.size() ? literalsMasked(TsharkApp.plainWords(q.get(qi++)), true) : "";
                    String text = (k == 22 ? "prepare " : "") + query;
                    out.add(new Message("mysql", c, text, x -> prefix(x, text)));
                } else if (k == 17) {
                    String user = f.has("mysql.user") ? TsharkApp.plain(f.first("mysql.user")) : "";
                    out.add(new Message("mysql", c, "change user " + user, x -> x.equals("COM_CHANGE_USER user=" + user)));
                } else if (k != 1 && k < 32) {
                    // a command byte above 31 is none: tshark reads a packet of the handshake as one
                    out.add(new Message("mysql", c, "command " + k, x -> x.startsWith("COM_")));
                }
            }
        }
    }

    private static void lines(TsharkApp.Frame f, boolean c, List<Message> out) {
        for (String cmd : c ? f.all("smtp.req.command") : List.<String>of()) {
            if (cmd.matches("[A-Za-z]{3,12}")) {
                String up = cmd.toUpperCase();
                // tshark shows STARTTLS as "STAR": its command field is four letters long
                out.add(new Message("smtp", c, up, x -> x.equals(up) || up.length() == 4 && x.startsWith(up)));
            }
        }
        List<String> codes = f.all("smtp.response.code"), params = f.all("smtp.rsp.parameter");
        // one reply (its first line), or several replies of one line each: otherwise lines and replies do not align
        int replies = c ? 0 : codes.size() == 1 || codes.size() == params.size() ? codes.size() : 0;
        for (int i = 0; i < replies; i++) {
            String p = i < params.size() ? TsharkApp.plain(params.get(i)) : "";
            String code = codes.get(i);
            out.add(new Message("smtp", c, code + " " + p, x -> x.startsWith(code)
                    && (p.isEmpty() ? x.length() == 3 : prefix(x.substring(Math.min(4, x.length())), p))));
        }
        List<String> rt = f.all("imap.request_tag"), rc = f.all("imap.request.command");
        for (int i = 0; c && i < Math.min(rt.size(), rc.size()); i++) {
            String tag = rt.get(i), cmd = rc.get(i).toUpperCase();
            if (tag.matches("[!-~]{1,20}") && !tag.startsWith("*") && cmd.matches("[A-Z]+")) {
                out.add(new Message("imap", c, tag + " " + cmd, x -> x.startsWith(tag + " " + cmd)));
            }
        }
        for (String line : c ? List.<String>of() : f.all("imap.line")) {
            Matcher x = IMAP_STATUS.matcher(TsharkApp.plain(line));
            if (x.matches()) {
                String text = x.group(1);
                out.add(new Message("imap", c, text, t -> prefix(t, text)));
            }
        }
        for (String cmd : c ? f.all("pop.request.command") : List.<String>of()) {
            if (cmd.matches("[A-Za-z]{3,4}")) {
                String up = cmd.toUpperCase();
                out.add(new Message("pop3", c, up, x -> x.equals(up)));
            }
        }
        List<String> ind = f.all("pop.response.indicator"), desc = f.all("pop.response.description");
        for (int i = 0; !c && i < ind.size(); i++) {
            String indicator = ind.get(i);
            String text = desc.size() == ind.size() ? indicator + " " + TsharkApp.plain(desc.get(i)) : null;
            if (indicator.equals("+OK") || indicator.equals("-ERR")) {
                // without aligned descriptions, the indicator alone is compared
                out.add(new Message("pop3", c, text == null ? indicator : text,
                        x -> text == null ? x.equals(indicator) || x.startsWith(indicator + " ") : prefix(x, text)));
            }
        }
    }

    private static void redis(TsharkApp.Frame f, boolean c, List<Message> out) {
        List<String> len = f.all("resp.array.length"), bulk = f.all("resp.bulk_string.value");
        if (c) {
            int k = 0;
            for (String n : len) {
                int count = Integer.parseInt(n);
                if (count > 0 && k < bulk.size()) {
                    String cmd = new String(HexFormat.of().parseHex(bulk.get(k)), StandardCharsets.ISO_8859_1).toUpperCase();
                    out.add(new Message("redis", c, cmd, x -> prefix(x, TsharkApp.plain(cmd))));
                }
                k += Math.max(count, 0);
            }
        } else if (len.isEmpty()) {
            for (String s : f.all("resp.string")) {
                String text = "+" + TsharkApp.plain(s);
                out.add(new Message("redis", c, text, x -> prefix(x, text)));
            }
            for (String s : f.all("resp.error")) {
                String text = "-" + TsharkApp.plain(s);
                out.add(new Message("redis", c, text, x -> prefix(x, text)));
            }
        }
    }

    private static void http2(TsharkApp.Frame f, boolean c, long[] streams, List<Message> out) {
        List<String> type = f.all("http2.type"), id = f.all("http2.streamid");
        for (int i = 0; i < Math.min(type.size(), id.size()); i++) {
            long stream = Long.parseLong(id.get(i));
            if (type.get(i).equals("1") && stream > streams[c ? 0 : 1]) {
                streams[c ? 0 : 1] = stream;
                out.add(new Message("http2", c, "HEADERS stream " + stream, x -> x.startsWith("HEADERS stream " + stream)));
            } else if (type.get(i).equals("7")) {
                out.add(new Message("http2", c, "GOAWAY", x -> x.startsWith("GOAWAY ")));
            }
        }
    }

    /** A request target as a report shows it: its query string, when it has one, as "?...". */
    static String pathOnly(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q) + "?...";
    }

    /** String literals, the earliest first: single-quoted (SQL's doubled quote, backslash escapes), then MySQL's double quotes or PostgreSQL's dollar quotes. */
    private static final String SINGLE = "'(?:[^'\\\\]|\\\\.|'')*'";
    private static final Pattern MYSQL_LITERALS = Pattern.compile(SINGLE + "|\"(?:[^\"\\\\]|\\\\.|\"\")*\""),
            PG_LITERALS = Pattern.compile(SINGLE + "|(?<![A-Za-z0-9_])\\$((?:[A-Za-z_][A-Za-z0-9_]*)?)\\$.*?\\$\\1\\$");

    /**
     * A query as a report shows it: every quoted string literal as '?' (double quotes are strings in MySQL,
     * identifiers in PostgreSQL, which has dollar quotes instead).
     */
    static String literalsMasked(String sql, boolean mysql) {
        return (mysql ? MYSQL_LITERALS : PG_LITERALS).matcher(sql).replaceAll("'?'");
    }

    /** Whether our text is tshark's, or a bounded start of it ending in "...". */
    static boolean prefix(String ours, String full) {
        if (ours.equals(full)) {
            return true;
        }
        if (!ours.endsWith("...")) {
            return false;
        }
        String core = ours.substring(0, ours.length() - 3);
        return core.length() >= 8 && full.startsWith(core) && full.length() > core.length();
    }
}
