package dev.tcpautopsy.spark;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The findings of a report.json, as its writer spelled them: the batch's {@code findings} and each
 * capture's, kept as JSON trees for summary.json to write again unchanged, so that the two files say the
 * same in the same words. Read as a stream: of a capture only its findings are kept.
 */
final class ReportFindings {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param across   the batch's findings (empty with a single capture, whose own say it)
     * @param captures each capture's findings, in the report's order
     */
    record Findings(JsonNode across, List<JsonNode> captures) {
    }

    private ReportFindings() {
    }

    static Findings read(InputStream reportJson) throws IOException {
        JsonNode across = JSON.createArrayNode();
        List<JsonNode> captures = new ArrayList<>();
        try (JsonParser p = JSON.createParser(reportJson)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("findings")) {
                    across = p.readValueAsTree();
                } else if (name.equals("captures")) {
                    expect(p.currentToken(), JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        captures.add(capture(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Findings(across, captures);
    }

    /** A capture's {@code findings}, the parser on the capture's start and left on its end. */
    private static JsonNode capture(JsonParser p) throws IOException {
        JsonNode findings = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("findings")) {
                findings = p.readValueAsTree();
            } else {
                p.skipChildren();
            }
        }
        if (findings == null) {
            throw new IOException("report.json has a capture without findings");
        }
        return findings;
    }

    private static void expect(JsonToken seen, JsonToken wanted) throws IOException {
        if (seen != wanted) {
            throw new IOException("report.json: expected " + wanted + ", found " + seen);
        }
    }
}
