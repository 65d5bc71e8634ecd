package dev.tcpautopsy.report.csv;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The hand-written writer quotes and encodes byte for byte as Commons CSV's RFC 4180 format does. */
class CsvOutTest {
    private static final String ALPHABET = "aZ09 ,\"\r\n#!\t;'-.:é€😀\u0000\u001f~";

    @Test
    void sameBytesAsCommonsCsv() throws IOException {
        SplittableRandom r = new SplittableRandom(13);
        for (int rec = 0; rec < 3_000; rec++) {
            List<Object> values = new ArrayList<>();
            for (int k = r.nextInt(1, 6); k > 0; k--) {
                if (r.nextInt(4) == 0) {
                    values.add(r.nextBoolean() ? r.nextLong() : (long) r.nextInt(-5, 100_000));
                } else {
                    StringBuilder sb = new StringBuilder();
                    for (int n = r.nextInt(0, 8); n > 0; n--) {
                        sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    }
                    if (r.nextInt(50) == 0) {
                        sb.append('\ud800'); // a lone surrogate
                    }
                    values.add(sb.toString());
                }
            }
            assertArrayEquals(commons(values), ours(values), values.toString());
        }
        List<Object> edges = List.of("", "", " ", "a ", " a", "#", "$", "\"", "x,y", Long.MIN_VALUE, -1L, 0L);
        assertArrayEquals(commons(edges), ours(edges));
    }

    private static byte[] commons(List<Object> values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (CSVPrinter p = new CSVPrinter(new OutputStreamWriter(b, StandardCharsets.UTF_8), CSVFormat.RFC4180)) {
            p.printRecord(values);
            p.printRecord(values);
        }
        return b.toByteArray();
    }

    private static byte[] ours(List<Object> values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (CsvOut out = new CsvOut(b)) {
            for (int twice = 0; twice < 2; twice++) {
                for (Object v : values) {
                    if (v instanceof Long l) {
                        out.value(l);
                    } else {
                        out.value((String) v);
                    }
                }
                out.endRecord();
            }
        }
        return b.toByteArray();
    }
}
