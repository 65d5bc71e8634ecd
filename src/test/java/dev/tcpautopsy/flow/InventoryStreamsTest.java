package dev.tcpautopsy.flow;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.tcpautopsy.testing.Needs.need;

/**
 * Our whole front end (reader, decoder, flow tracking) numbers as many TCP streams per corpus file
 * as tshark did for the inventory ({@code tcp_streams}), except where a difference is deliberate:
 * those files are listed below with the reason, which in every case lies in what gets decoded as
 * TCP at all, not in how segments are grouped into streams.
 */
class InventoryStreamsTest {
    static final Map<String, String> DIFFERENCES = Map.ofEntries(
            entry("suricata-verify/tests/bug-76/input.pcap", "a TCP header cut short by its IP length (tshark still numbers it)"),
            entry("suricata-verify/tests/filestore-5408/input.pcap", "TCP headers inside sFlow samples"),
            entry("suricata-verify/tests/transform-base64-7296/input.pcap", "a fuzzed TCP header shorter than 20 bytes"),
            entry("tcpdump/tests/beep-oobr.pcap", "fuzzed IPv6 header (tshark dissects past the bad version)"),
            entry("tcpdump/tests/heapoverflow-tcp_print.pcap", "fuzzed TCP header cut by the snapshot length"),
            entry("tcpdump/tests/tcp-auth-heapoverflow.pcap", "fuzzed TCP header cut by the snapshot length"),
            entry("tcpdump/tests/tcp_header_heapoverflow.pcap", "fuzzed TCP header cut by the snapshot length"),
            entry("tcpdump/tests/sflow_expanded.pcap", "TCP headers inside sFlow samples"),
            entry("tcpdump/tests/bigtcp-ipv4-geneve-ipv4.pcap", "BIG TCP (IP length 0): tshark 4.0 does not decode it"),
            entry("tcpdump/tests/bigtcp-ipv4-geneve-ipv6.pcap", "BIG TCP (IP length 0): tshark 4.0 does not decode it"),
            entry("tcpdump/tests/bigtcp-ipv4-vxlan-ipv4.pcap", "BIG TCP (IP length 0): tshark 4.0 does not decode it"),
            entry("tcpdump/tests/bigtcp-ipv4-vxlan-ipv6.pcap", "BIG TCP (IP length 0): tshark 4.0 does not decode it"),
            entry("tcpdump/tests/bigtcp-ipv6-geneve-ipv4.pcap", "BIG TCP (jumbogram): tshark 4.0 does not decode it"),
            entry("tcpdump/tests/bigtcp-ipv6-geneve-ipv6.pcap", "BIG TCP (jumbogram): tshark 4.0 does not decode it"),
            entry("tcpdump/tests/bigtcp-ipv6-vxlan-ipv4.pcap", "BIG TCP (jumbogram): tshark 4.0 does not decode it"),
            entry("tcpdump/tests/bigtcp-ipv6-vxlan-ipv6.pcap", "BIG TCP (jumbogram): tshark 4.0 does not decode it"),
            entry("tcpdump/tests/bigtcp-ipv6.pcap", "BIG TCP (jumbogram): tshark 4.0 does not decode it"),
            entry("zeek/testing/btest/Traces/ipv4/fragmented-3.pcap", "IP fragments: Wireshark reassembles them, we do not"),
            entry("zeek/testing/btest/Traces/ipv4/fragmented-syn.pcap", "IP fragments: Wireshark reassembles them, we do not"),
            entry("zeek/testing/btest/Traces/tunnels/gre-aruba-amsdu.pcap", "TCP inside 802.11 A-MSDU aggregates over GRE"),
            entry("zeek/testing/btest/Traces/vntag_vlan_sandwich_clean.pcap", "VN-Tag between VLAN tags is not decoded"));

    @Test
    void streamCountsMatchTheInventory() throws Exception {
        String dir = System.getProperty("tcpautopsy.corpus");
        need(dir != null && Files.isRegularFile(Path.of(dir, "inventory.tsv")), "the corpus inventory");
        Path corpus = Path.of(dir);
        List<String> lines = Files.readAllLines(corpus.resolve("inventory.tsv"));
        List<String> problems = new ArrayList<>();
        int files = 0, equal = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split("\t", -1);
            if (v.length < 7 || !v[6].matches("\\d+")) {
                continue; // tshark could not read it either
            }
            StreamCount ours = StreamCount.of(corpus.resolve(v[0]));
            files++;
            long theirs = Long.parseLong(v[6]);
            if (ours.streams == theirs) {
                equal++;
            } else if (!DIFFERENCES.containsKey(v[0])) {
                problems.add(v[0] + ": " + ours.streams + " streams, tshark " + theirs
                        + (ours.error == null ? "" : " (" + ours.error + ")"));
            }
        }
        System.out.printf("inventory: %d of %d files with tshark's stream count, %d documented differences%n", equal,
                files, DIFFERENCES.size());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(files > 900, "corpus inventory too small: " + files);
    }
}
