package dev.tcpautopsy.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Model flows with every field set in varied ways, for the tests of their encoded form and of flow sets. */
public final class RandomFlows {
    private RandomFlows() {
    }

    /** Application context of every shape: none, some messages, TLS, a note. */
    private static AppContext app(SplittableRandom r) {
        if (r.nextInt(3) == 0) {
            return null;
        }
        AppContext.AppMessage req = r.nextBoolean() ? null
                : new AppContext.AppMessage(r.nextLong(1, 1L << 30), "client", "GET /api/orders HTTP/1.1 (Host: shop.example)");
        AppContext.AppMessage resp = r.nextBoolean() ? null
                : new AppContext.AppMessage(r.nextLong(1, 1L << 30), "server", "HTTP/1.1 502 Bad Gateway");
        AppContext.AppMessage bye = r.nextBoolean() ? null
                : new AppContext.AppMessage(r.nextLong(1, 1L << 30), "server", "FATAL 57P05 terminating connection ünïcode");
        AppContext.Tls tls = r.nextBoolean() ? null : new AppContext.Tls(r.nextBoolean() ? null : "shop.example", "h2,http/1.1",
                r.nextBoolean() ? null : new AppContext.AppMessage(r.nextLong(1, 99), "client", "warning close_notify"));
        Boolean unanswered = switch (r.nextInt(3)) {
            case 0 -> null;
            case 1 -> false;
            default -> true;
        };
        return new AppContext(r.nextBoolean() ? "http" : null, req, resp, unanswered, bye, tls,
                r.nextBoolean() ? null : "payload cut by the snapshot length");
    }

    /** Flows with every field set in varied ways (stream numbers repeat, as continuations do). */
    public static List<Flow> random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TerminationClass[] classes = TerminationClass.values();
        By[] bys = By.values();
        Tag[] tags = Tag.values();
        List<Flow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long stream = r.nextInt(n);
            Instant start = Instant.ofEpochSecond(1_790_000_000L + r.nextInt(100_000), r.nextInt(1_000_000_000));
            Instant end = start.plusNanos(r.nextLong(0, 100_000_000_000L));
            List<Evidence> ev = new ArrayList<>();
            for (int k = r.nextInt(4); k > 0; k--) {
                ev.add(new Evidence(r.nextLong(1, 1L << 40), "note é " + r.nextInt(),
                        r.nextBoolean() ? List.of() : List.of("[TCP Header (20 bytes)]", "  Source port: " + r.nextInt(65536))));
            }
            List<Tag> tl = new ArrayList<>();
            for (int k = r.nextInt(3); k > 0; k--) {
                tl.add(tags[r.nextInt(tags.length)]);
            }
            AnalysisCounts a = r.nextBoolean() ? AnalysisCounts.NONE : new AnalysisCounts(r.nextInt(5), 0, r.nextInt(2),
                    r.nextInt(3), 0, r.nextInt(9), r.nextInt(100), 0, 0, r.nextInt(2), r.nextInt(7), 0, r.nextInt(1000));
            DirectionStats c = new DirectionStats(r.nextLong(1, 1L << 33), r.nextLong(0, 1L << 40), r.nextLong(-1, 1L << 32),
                    r.nextInt(-1, 9000), r.nextInt(-1, 15), r.nextInt(-1, 256), r.nextBoolean() ? "CLOSED" : "odd state",
                    r.nextLong(0, 1L << 30), r.nextLong(0, 1L << 30), a);
            DirectionStats s = r.nextInt(10) == 0 ? null : new DirectionStats(1, 0, -1, -1, -1, -1, "RESET", 0, 5, null);
            List<StateChange> tr = new ArrayList<>();
            List<PacketLine> lines = new ArrayList<>();
            if (r.nextBoolean()) {
                tr.add(new StateChange(r.nextLong(1, 1L << 40), start, "client", "INACTIVE", "SYN_SENT"));
                tr.add(new StateChange(r.nextLong(1, 1L << 40), end, "server", "ESTABLISHED", "RESET"));
                lines.add(new PacketLine(7, start, true, "SA", -1, 0, 0, 65535, 64, List.of()));
                lines.add(new PacketLine(1L << 41, end, false, "FRPAUEC", 1L << 35, 17, Integer.MAX_VALUE, 1L << 30, -1,
                        List.of("retransmission", "zero_window_probe")));
            }
            out.add(new Flow(stream, new Endpoint(r.nextBoolean() ? "198.18.0." + r.nextInt(256) : "2001:db8::" + r.nextInt(999),
                    r.nextInt(65536)), new Endpoint("198.19.1.2", 443), r.nextLong(1, 1L << 40), r.nextLong(1, 1L << 40),
                    start, r.nextInt(20) == 0 ? null : end, r.nextBoolean(), r.nextBoolean(),
                    new Termination(classes[r.nextInt(classes.length)], bys[r.nextInt(bys.length)],
                            r.nextInt(10) == 0 ? null : r.nextBoolean() ? "reason \"quoted\", with ünïcode " + r.nextLong()
                                    : r.nextBoolean() ? "plain ASCII, " + r.nextLong() : "日本 " + r.nextLong(),
                            "tcp.stream eq " + stream, ev, tl,
                            r.nextInt(10) == 0 ? null : new AppView(r.nextBoolean() ? "EOF" : "ECONNRESET", "none")),
                    c, s, r.nextLong(-1, 1_000_000), r.nextBoolean() ? null : new IdleGap(r.nextDouble() * 100, 3, 9),
                    r.nextBoolean() ? "ShADadFf" : "", tr, lines, app(r)));
        }
        Collections.shuffle(out, new java.util.Random(seed));
        return out;
    }
}
