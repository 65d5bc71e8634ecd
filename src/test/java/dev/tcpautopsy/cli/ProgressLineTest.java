package dev.tcpautopsy.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressLineTest {

    @Test
    void lineGivesBytesRateAndTimeLeft() {
        // 256 MiB of 1 GiB in 10 s with 2.5 M packets: 250 k packets/s, 30 s left at that pace
        assertEquals("reading 256.0 MiB of 1.0 GiB (25%), 250 k packets/s, 0:30 left",
                ProgressLine.line(256L << 20, 1L << 30, 2_500_000, 10));
        assertEquals("reading 3.0 MiB, 1.2 M packets/s", ProgressLine.line(3L << 20, -1, 2_400_000, 2),
                "standard input: no total, no time left");
    }

    @Test
    void redrawsAtMostFourTimesASecondAndErasesAtTheEnd() {
        StringWriter sw = new StringWriter();
        long[] now = {0};
        ProgressLine p = new ProgressLine(new PrintWriter(sw), () -> now[0]);
        p.progress(1, 100, 1);                  // too soon after start: nothing
        assertEquals("", sw.toString());
        now[0] = 300_000_000L;
        p.progress(50, 100, 1000);
        now[0] = 400_000_000L;
        p.progress(60, 100, 1200);              // 100 ms later: skipped
        String drawn = sw.toString();
        assertEquals(1, drawn.chars().filter(c -> c == '\r').count(), drawn);
        assertTrue(drawn.startsWith("\rreading 50 B of 100 B (50%)"), drawn);
        p.finish();
        assertTrue(sw.toString().endsWith("\r"), "line erased");
    }

    @Test
    void durations() {
        DurationConverter c = new DurationConverter();
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofSeconds(30), c.convert("30s"));
        assertEquals(Duration.ofMillis(1500), c.convert("1.5s"));
        assertEquals(Duration.ofMinutes(5), c.convert("5m"));
        assertEquals(Duration.ofHours(2), c.convert("2h"));
        assertEquals(Duration.ofSeconds(45), c.convert("PT45S"));
        assertThrows(RuntimeException.class, () -> c.convert("30"));
        assertThrows(RuntimeException.class, () -> c.convert("-5s"));
    }
}
