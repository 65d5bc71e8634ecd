package dev.tcpautopsy.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The TCP rows of one of Zeek's conn.log baselines ({@code shared/corpus/zeek-baselines}): the 5-tuple,
 * {@code conn_state}, {@code history} and packet counts, in log order. Logs whose 5-tuple columns were
 * renamed by the test (the logging-framework tests) have no rows here.
 */
record ZeekConnLog(Path file, List<Row> rows) {

    /** One TCP connection as Zeek saw it; {@code tunneled} when {@code tunnel_parents} is set. */
    record Row(String origH, int origP, String respH, int respP, String state, String history, long origPkts,
               long respPkts, boolean tunneled) {
        String orig() {
            return endpoint(origH, origP);
        }

        String resp() {
            return endpoint(respH, respP);
        }

        /** Whether Zeek's originator is our client (Zeek may flip the direction, or pick differently mid-stream). */
        boolean origIsClient(dev.tcpautopsy.model.Flow f) {
            return ZeekComparisonTest.norm(origH).equals(ZeekComparisonTest.norm(f.client().ip())) && origP == f.client().port();
        }

        static String endpoint(String ip, int port) {
            return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
        }
    }

    static ZeekConnLog read(Path file) throws IOException {
        List<String> fields = null;
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#fields\t")) {
                fields = Arrays.asList(line.substring("#fields\t".length()).split("\t"));
                continue;
            }
            if (line.startsWith("#") || fields == null || line.isBlank()) {
                continue;
            }
            int oh = fields.indexOf("id.orig_h"), op = fields.indexOf("id.orig_p"), rh = fields.indexOf("id.resp_h"),
                    rp = fields.indexOf("id.resp_p"), proto = fields.indexOf("proto"), st = fields.indexOf("conn_state"),
                    hi = fields.indexOf("history"), opk = fields.indexOf("orig_pkts"), rpk = fields.indexOf("resp_pkts"),
                    tun = fields.indexOf("tunnel_parents");
            if (oh < 0 || op < 0 || rh < 0 || rp < 0 || proto < 0 || st < 0 || hi < 0) {
                return new ZeekConnLog(file, List.of());
            }
            String[] f = line.split("\t", -1);
            if (f.length < fields.size() || !f[proto].equals("tcp")) {
                continue;
            }
            rows.add(new Row(f[oh], Integer.parseInt(f[op]), f[rh], Integer.parseInt(f[rp]), f[st], f[hi],
                    count(f, opk), count(f, rpk), tun >= 0 && !f[tun].equals("-") && !f[tun].equals("(empty)")));
        }
        return new ZeekConnLog(file, rows);
    }

    private static long count(String[] f, int i) {
        return i < 0 || f[i].equals("-") ? -1 : Long.parseLong(f[i]);
    }
}
