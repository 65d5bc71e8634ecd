package dev.tcpautopsy.report.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowEncoder;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.RandomFlows;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.ReportFixture;
import dev.tcpautopsy.report.SyntheticModel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The direct writer writes the bytes Jackson's compact generator writes. */
class JsonOutTest {
    private static final JsonName A = new JsonName("a"), LIST = new JsonName("list"), DEEP = new JsonName("deep");

    private interface Body {
        void write(JsonOut o) throws IOException;
    }

    /** The same calls through the generator and through the direct writer, each inside an array. */
    private static void assertSameBytes(Body body) throws IOException {
        ByteArrayOutputStream viaJackson = new ByteArrayOutputStream(), viaDirect = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(viaJackson, JsonEncoding.UTF8)) {
            g.writeStartArray();
            JsonOut o = JsonOut.over(g);
            body.write(o);
            o.flush();
            g.writeEndArray();
        }
        try (JsonGenerator g = new JsonFactory().createGenerator(viaDirect, JsonEncoding.UTF8)) {
            g.writeStartArray();
            g.flush();
            JsonOut o = JsonOut.direct(viaDirect);
            body.write(o);
            o.flush();
            g.writeEndArray();
        }
        assertEquals(viaJackson.toString(StandardCharsets.UTF_8), viaDirect.toString(StandardCharsets.UTF_8));
        assertArrayEquals(viaJackson.toByteArray(), viaDirect.toByteArray());
    }

    /** Strings of every kind: escapes, non-ASCII, surrogates paired and not, long and short. */
    private static List<String> strings() {
        List<String> strings = new ArrayList<>(List.of("", "plain", "quote \" and \\ backslash", "tab\tnew\nline\r",
                "\b\f\u0000\u0001\u001f\u007f", "café ñ", "Ω≈ç√ 日本語", "emoji 😀 pair", "lone \uD800 high",
                "lone \uDC00 low", "end high \uD83D", "\uFFFF\u0800\u07FF\u0080", "a/b</script>", "why? \uD800? \uDFFF?", "?", "\uDBFF"));
        // long strings cross the writer's chunk of chars, escapes and multi-byte characters at the seams
        strings.add("x".repeat(1023) + "é" + "\"".repeat(3000) + "日".repeat(2000) + "\u0001");
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(3000); k > 0; k--) {
                int kind = r.nextInt(10);
                b.append(kind < 6 ? (char) (0x20 + r.nextInt(0x5F)) : kind < 7 ? (char) r.nextInt(0x20)
                        : kind < 8 ? (char) (0x80 + r.nextInt(0x780)) : (char) r.nextInt(0x10000));
            }
            strings.add(b.toString());
        }
        // mostly ASCII, around the length where the writer changes its way
        String rare = "?\"\\\n\u0001\uD800\uDC00é";
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = 400 + r.nextInt(200); k > 0; k--) {
                b.append(r.nextInt(50) == 0 ? rare.charAt(r.nextInt(rare.length())) : (char) (0x20 + r.nextInt(0x5F)));
            }
            strings.add(b.toString());
            strings.add(b.substring(0, r.nextInt(b.length())));
        }
        return strings;
    }

    @Test
    void stringsWithEscapesNonAsciiAndSurrogatesAreEncodedAsJacksonDoes() throws IOException {
        List<String> strings = strings();
        assertSameBytes(o -> {
            for (String s : strings) {
                o.string(s);
            }
            o.string(null);
        });
    }

    /** Strings read from an encoded flow: written from their bytes as the generator writes their text. */
    @Test
    void textsFromEncodedFlowsAreWrittenAsTheirStrings() throws IOException {
        FlowEncoder e = new FlowEncoder();
        Flow base = RandomFlows.random(1, 9).get(0);
        Termination t = base.termination();
        List<FlowRecord> records = new ArrayList<>();
        for (String s : strings()) {
            e.encode(base.withTermination(new Termination(t.cls(), t.by(), s, t.filter(), t.evidence(), t.tags(),
                    t.appView())));
            records.add(new FlowRecord().load(Arrays.copyOf(e.bytes(), e.length()), 0, false, null));
        }
        assertSameBytes(o -> {
            for (FlowRecord r : records) {
                o.text(r.reason());
                o.text(r.reason(), "; and a clause é");
            }
        });
    }

    @Test
    void instantsAndDurationsFromNumbersAreWrittenAsFromInstants() throws IOException {
        Random r = new Random(12);
        int n = 2000;
        long[] secs = new long[n], laters = new long[n];
        int[] nanos = new int[n], laterNanos = new int[n];
        for (int i = 0; i < n; i++) {
            secs[i] = i < 3 ? new long[] {-62_000_000_000L, 0, 300_000_000_000L}[i] : 1_790_000_000L + r.nextInt(1 << 30);
            nanos[i] = r.nextBoolean() ? r.nextInt(1_000_000) * 1000 : r.nextInt(1_000_000_000);
            laters[i] = secs[i] + (r.nextBoolean() ? r.nextInt(100) : -r.nextInt(3));
            laterNanos[i] = r.nextBoolean() ? nanos[i] : r.nextInt(1_000_000_000);
        }
        assertSameBytes(o -> {
            for (int i = 0; i < n; i++) {
                o.instant(secs[i], nanos[i]);
                o.seconds(secs[i], nanos[i], laters[i], laterNanos[i]);
            }
            o.seconds(0, 0, 2_000_000_000_000L, 5);
        });
    }

    @Test
    void numbersBooleansAndNullsAreWrittenAsJacksonDoes() throws IOException {
        long[] longs = {0, 1, -1, 9, 10, 99, 100, 123_456_789, -987_654_321_012L, Long.MAX_VALUE, Long.MIN_VALUE,
                Integer.MAX_VALUE, Integer.MIN_VALUE, 4_294_967_295L, 999_999_999L, 1_000_000_000L, 2_147_483_648L, 99_999L, 100_000L};
        double[] doubles = {0.0, -0.0, 1.5, 0.1, 1e-4, 0.052271, 59.696517, 123456789.125, 1e21, 1e-7,
                Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        assertSameBytes(o -> {
            for (long v : longs) {
                o.number(v);
            }
            for (double d : doubles) {
                o.number(d);
            }
            o.numberText("0.083100");
            o.bool(true);
            o.bool(false);
            o.nul();
        });
    }

    @Test
    void commasFollowNestingAsJacksonPutsThem() throws IOException {
        assertSameBytes(o -> {
            o.startObject();
            o.endObject();
            o.startArray();
            o.endArray();
            o.startObject();
            o.name(A).number(1);
            o.name(LIST).startArray();
            o.startObject();
            o.endObject();
            o.startArray();
            o.string("x");
            o.nul();
            o.endArray();
            o.number(2);
            o.endArray();
            o.name(DEEP).startObject();
            o.name(A).startObject();
            o.name(A).bool(false);
            o.endObject();
            o.endObject();
            o.name(A).string("last");
            o.endObject();
            o.number(3);
        });
    }

    @Test
    void reportsWrittenWithTheDirectWriterAreWhatTheGeneratorWrites() throws IOException {
        for (AnalysisReport r : List.of(ReportFixture.report(), new SyntheticModel(3, 4000).report())) {
            MemoryTarget direct = new MemoryTarget(), generator = new MemoryTarget();
            new JsonRenderer(false, true).render(r, direct);
            new JsonRenderer(false, false).render(r, generator);
            byte[] a = direct.files().get(JsonRenderer.FILE).toByteArray();
            byte[] b = generator.files().get(JsonRenderer.FILE).toByteArray();
            assertEquals(new String(b, StandardCharsets.UTF_8), new String(a, StandardCharsets.UTF_8));
            assertArrayEquals(b, a);
            new ObjectMapper().readTree(a);
        }
    }

    @Test
    void fieldNamesThatWouldNeedEscapingAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new JsonName("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> new JsonName("ä"));
        assertThrows(IllegalArgumentException.class, () -> new JsonRenderer(true, true));
    }
}
