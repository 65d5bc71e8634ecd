package dev.tcpautopsy.findings;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.QuietFacts;
import dev.tcpautopsy.flow.SideFacts;
import dev.tcpautopsy.model.AnalysisCounts;
import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;

import java.util.ArrayList;
import java.util.List;

/** Hand-made facts of one finished flow, with only what the findings read; and verdicts to go with them. */
final class Facts {
    static final long S = 1_000_000_000L, MS = 1_000_000L;

    long stream;
    String clientIp = "198.18.0.2", serverIp = "198.18.1.2";
    int clientPort = 40000, serverPort = 80;
    int clientTtl = 64, serverTtl = 62;
    int clientSyns = 1;
    long firstSyn, lastSyn;
    long serverRstFrame, clientRstFrame;
    int serverRstTtl = -1;
    int clientUnanswered, serverUnanswered;
    long serverLastFrame = 5;
    long longestIdle = -1;
    QuietFacts quiet = QuietFacts.NONE;
    final List<FlowFacts.TailPacket> tail = new ArrayList<>();

    Facts(long stream) {
        this.stream = stream;
        this.clientPort = 40000 + (int) (stream % 20000);
    }

    /** The server closed first, {@code idleNanos} after the last data (its own response). */
    static Facts serverClosedAfter(long stream, long idleNanos) {
        Facts f = new Facts(stream);
        f.quiet = new QuietFacts(20, false, idleNanos, false, 1 * MS, true, -1, 0, 0, -1);
        return f;
    }

    Facts server(String ip, int port) {
        serverIp = ip;
        serverPort = port;
        return this;
    }

    Facts client(String ip) {
        clientIp = ip;
        return this;
    }

    /** A RST in the server's name at frame 30 with this TTL, in the tail. */
    Facts forgedRst(int ttl, int ipId, long window) {
        serverRstFrame = 30;
        serverRstTtl = ttl;
        tail.add(new FlowFacts.TailPacket(30, 30 * S, false, 0x04 | 0x10, 1, 1, 0, window, ttl, ipId, 0));
        return this;
    }

    FlowFacts build() {
        SideFacts c = side(clientIp, clientPort, clientTtl, clientSyns, firstSyn, lastSyn, clientRstFrame, -1,
                clientUnanswered, 6);
        SideFacts s = side(serverIp, serverPort, serverTtl, 1, 0, 0, serverRstFrame, serverRstTtl, serverUnanswered,
                serverLastFrame);
        FlowFacts.Gap idle = longestIdle < 0 ? null : new FlowFacts.Gap(longestIdle, 4, 5);
        return new FlowFacts(stream, c, s, true, true, false, 1, 40, 0, 40 * S, 100 * S, 1 * MS, idle, null, tail,
                List.of(), "ShAD", false, null, null, quiet);
    }

    private static SideFacts side(String ip, int port, int ttl, int syns, long firstSyn, long lastSyn, long rstFrame,
                                  int rstTtl, int unanswered, long lastFrame) {
        return new SideFacts(ip, port, 1, 0, 5, 100, 1, ttl, ttl, ttl, 0, 7, 1460, syns, 1, 1, firstSyn, lastSyn, 4, 4,
                4 * MS, 101, 101, 5, 0, 0, 0, -1, -1, false, rstFrame, rstFrame == 0 ? -1 : 30 * S, 1, true, 1, rstTtl,
                rstFrame == 0 ? 0 : 1, 0, 0, lastFrame, lastFrame * S, 1000, 0, -1, 0, 0, unanswered, new long[0], "none",
                "CLOSED", AnalysisCounts.NONE);
    }

    static Termination verdict(TerminationClass c, By by, Tag... tags) {
        return new Termination(c, by, "reason", "tcp.stream eq 0", List.of(new Evidence(30, "the RST")), List.of(tags),
                new AppView("none", "none"));
    }
}
