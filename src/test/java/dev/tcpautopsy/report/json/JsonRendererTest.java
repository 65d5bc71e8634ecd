package dev.tcpautopsy.report.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpautopsy.report.Golden;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.ReportFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonRendererTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String render(boolean pretty) throws IOException {
        MemoryTarget target = new MemoryTarget();
        new JsonRenderer(pretty).render(ReportFixture.report(), target);
        return target.text(JsonRenderer.FILE);
    }

    @Test
    void fixtureRendersTheHandWrittenDocument() throws IOException {
        JsonNode expected = MAPPER.readTree(Golden.read("fixture-report.json"));
        JsonNode actual = MAPPER.readTree(render(false));
        assertEquals(expected.toPrettyString(), actual.toPrettyString());
        assertEquals(expected, actual);
    }

    @Test
    void contractFieldsComeFirstInContractOrder() throws IOException {
        JsonNode flow = MAPPER.readTree(render(false)).get("captures").get(0).get("flows").get(1);
        List<String> names = new ArrayList<>();
        flow.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("stream", "client", "server", "firstFrame", "lastFrame", "start", "end",
                "handshakeSeen", "halfClosed", "termination"), names.subList(0, 10));
        List<String> term = new ArrayList<>();
        flow.get("termination").fieldNames().forEachRemaining(term::add);
        assertEquals(List.of("class", "by", "reason", "filter", "evidence", "tags", "appView"), term);
    }

    @Test
    void anAnswerTheWireCannotTellIsNull() throws IOException {
        MemoryTarget target = new MemoryTarget();
        new JsonRenderer(false).render(ReportFixture.unreadWith(ReportFixture.unknownAnswer()), target);
        JsonNode written = MAPPER.readTree(target.text(JsonRenderer.FILE)).get("captures").get(0).get("flows").get(0).get("app");
        assertTrue(written.has("unanswered"), "a contract field, null when not known");
        assertTrue(written.get("unanswered").isNull());
    }

    @Test
    void compactIsOneLineAndPrettyParsesToTheSameTree() throws IOException {
        String compact = render(false);
        assertEquals(1, compact.lines().count());
        assertTrue(compact.endsWith("}\n"));
        assertEquals(MAPPER.readTree(compact), MAPPER.readTree(render(true)));
    }
}
