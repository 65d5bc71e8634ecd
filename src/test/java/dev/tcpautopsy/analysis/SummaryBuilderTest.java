package dev.tcpautopsy.analysis;

import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.EndingSummary;
import dev.tcpautopsy.model.TerminationClass;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SummaryBuilderTest {
    private static final long SECOND = 1_000_000_000L;

    /**
     * The hosts' counts are looked up by the String of the address: the same String flow after flow (as flow
     * tracking hands them out) must count exactly as equal Strings do, also once the table was pruned and a
     * dropped host comes back.
     */
    @Test
    void theSameStringCountsAsEqualStringsDoThroughPruning() {
        EndingSummary same = summarize(ip -> ip);
        EndingSummary equal = summarize(String::new);
        assertEquals(equal.topHosts(), same.topHosts());
        assertEquals(equal, same);
        // a host dropped by a pruning and seen again starts over: its flows after the pruning only
        EndingSummary.Ranked back = same.topHosts().stream().filter(r -> r.key().equals("198.18.0.1")).findFirst()
                .orElseThrow(() -> new AssertionError("198.18.0.1 came back and is among the top hosts"));
        assertEquals(3, back.flows());
        assertEquals(3, back.abnormal());
    }

    /**
     * {@code ip} gives the String each flow names its client by. Nine hosts in a table of eight: the ninth
     * prunes it to the four with the most abnormal endings, which drops 198.18.0.1 (its one flow ended well)
     * for certain; it then comes back with three resets.
     */
    private static EndingSummary summarize(UnaryOperator<String> ip) {
        SummaryBuilder b = new SummaryBuilder(8, 100, 50);
        String server = "198.19.0.1";
        long t = 0;
        b.add(TerminationClass.FIN_ORDERLY, By.CLIENT, ip.apply("198.18.0.1"), server, 443, t += SECOND);
        for (int i = 2; i <= 8; i++) {
            b.add(TerminationClass.RST_ABORT, By.SERVER, ip.apply("198.18.0." + i), server, 443, t += SECOND);
        }
        for (int round = 0; round < 3; round++) {
            b.add(TerminationClass.RST_ABORT, By.SERVER, ip.apply("198.18.0.1"), server, 443, t += SECOND);
        }
        EndingSummary s = b.build();
        // the pruning happened: of the nine hosts, the server, three of the first resets' clients and the one back
        assertEquals(5, s.topHosts().size(), s.topHosts().toString());
        return s;
    }
}
