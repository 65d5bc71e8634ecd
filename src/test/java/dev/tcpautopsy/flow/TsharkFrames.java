package dev.tcpautopsy.flow;

import dev.tcpautopsy.decode.Addresses;
import dev.tcpautopsy.decode.TcpSegment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tshark's view of the TCP frames of a capture: the header fields flow tracking needs, and the
 * {@code tcp.stream} and {@code tcp.analysis.*} values Wireshark computed, so that flow tracking can
 * be checked against Wireshark without depending on our own capture reader.
 */
final class TsharkFrames {
    /** tshark's analysis fields, in {@link AnalysisFlags} bit order. */
    static final String[] ANALYSIS_FIELDS = {"retransmission", "fast_retransmission", "spurious_retransmission",
        "out_of_order", "lost_segment", "ack_lost_segment", "duplicate_ack", "zero_window", "zero_window_probe",
        "window_full", "keep_alive", "keep_alive_ack", "window_update", "zero_window_probe_ack", "reused_ports"};
    private static final String[] FIELDS = {"frame.number", "frame.time_epoch", "frame.protocols", "ip.src", "ip.dst",
        "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags",
        "tcp.window_size_value", "tcp.len", "ip.ttl", "ipv6.hlim", "ip.id", "tcp.options.wscale.shift",
        "tcp.options.mss_val", "tcp.stream"};

    /** One TCP frame as tshark decoded it. */
    record Frame(TcpSegment segment, boolean inIcmpError, boolean lengthKnown, long stream, int analysis,
                 boolean nestedTcp) {
    }

    private TsharkFrames() {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static List<Frame> read(Path capture) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-Y", "tcp", "-T", "fields",
                "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String f : FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        for (String f : ANALYSIS_FIELDS) {
            cmd.add("-e");
            cmd.add("tcp.analysis." + f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Frame> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Frame f = parse(line.split("\t", -1));
                if (f != null) {
                    out.add(f);
                }
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("tshark timed out on " + capture);
        }
        return out;
    }

    private static Frame parse(String[] v) throws IOException {
        if (v.length < FIELDS.length + ANALYSIS_FIELDS.length || v[19].isEmpty() || v[7].isEmpty()) {
            return null;
        }
        String[] layers = v[2].split(":");
        int tcpAt = java.util.Arrays.asList(layers).indexOf("tcp");
        boolean inError = false, v6 = false;
        int v4Before = 0, v6Before = 0;
        for (int i = 0; i < tcpAt; i++) {
            inError |= layers[i].equals("icmp") || layers[i].equals("icmpv6");
            if (layers[i].equals("ip")) {
                v4Before++;
                v6 = false;
            } else if (layers[i].equals("ipv6")) {
                v6Before++;
                v6 = true;
            }
        }
        // every field holds all occurrences; take the IP layer right under the first TCP header
        int ipIndex = (v6 ? v6Before : v4Before) - 1;
        for (int i = 3; i < FIELDS.length; i++) {
            boolean ipField = FIELDS[i].startsWith("ip.") || FIELDS[i].startsWith("ipv6.");
            v[i] = pick(v[i], ipField ? ipIndex : 0);
        }
        TcpSegment s = new TcpSegment();
        s.clearOptions();
        s.frame = Long.parseLong(v[0]);
        s.tsNanos = nanos(v[1]);
        String src = v6 ? v[5] : v[3], dst = v6 ? v[6] : v[4];
        if (src.isEmpty() || dst.isEmpty()) {
            return null;
        }
        long[] a = address(src), b = address(dst);
        s.srcHi = a[0];
        s.srcLo = a[1];
        s.dstHi = b[0];
        s.dstLo = b[1];
        s.ipVersion = v6 ? 6 : 4;
        s.srcPort = Integer.parseInt(v[7]);
        s.dstPort = Integer.parseInt(v[8]);
        s.seq = v[9].isEmpty() ? 0 : Long.parseLong(v[9]);
        s.ack = v[10].isEmpty() ? 0 : Long.parseLong(v[10]);
        s.flags = v[11].isEmpty() ? 0 : Integer.decode(v[11]) & 0xFF;
        s.window = v[12].isEmpty() ? 0 : Integer.parseInt(v[12]);
        boolean lengthKnown = !v[13].isEmpty();
        s.payloadLen = lengthKnown ? Integer.parseInt(v[13]) : 0;
        String ttl = v6 ? v[15] : v[14];
        s.ttl = ttl.isEmpty() ? -1 : Integer.parseInt(ttl);
        s.ipId = v6 || v[16].isEmpty() ? -1 : Integer.decode(v[16]);
        s.windowScale = v[17].isEmpty() ? -1 : Integer.parseInt(v[17]);
        s.mss = v[18].isEmpty() ? -1 : Integer.parseInt(v[18]);
        long stream = Long.parseLong(v[19]);
        int mask = 0;
        for (int i = 0; i < ANALYSIS_FIELDS.length; i++) {
            if (!v[FIELDS.length + i].isEmpty()) {
                mask |= 1 << i;
            }
        }
        boolean nested = java.util.Collections.frequency(java.util.Arrays.asList(layers), "tcp") > 1;
        return new Frame(s, inError, lengthKnown, stream, mask, nested);
    }

    private static String pick(String all, int index) {
        if (all.isEmpty() || index < 0) {
            return index < 0 ? "" : all;
        }
        String[] parts = all.split(",", -1);
        return index < parts.length ? parts[index] : "";
    }

    private static long nanos(String epoch) {
        int dot = epoch.indexOf('.');
        if (dot < 0) {
            return Long.parseLong(epoch) * 1_000_000_000L;
        }
        String frac = (epoch.substring(dot + 1) + "000000000").substring(0, 9);
        long secs = Long.parseLong(epoch.substring(0, dot));
        return secs * 1_000_000_000L + (epoch.startsWith("-") ? -1 : 1) * Long.parseLong(frac);
    }

    private static long[] address(String text) throws IOException {
        byte[] b = InetAddress.getByName(text).getAddress();
        if (b.length == 4) {
            int v4 = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
            return new long[] {0, Addresses.v4Lo(v4)};
        }
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (b[i] & 0xFF);
            lo = lo << 8 | (b[i + 8] & 0xFF);
        }
        return new long[] {hi, lo};
    }
}
