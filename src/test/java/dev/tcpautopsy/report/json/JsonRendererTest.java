package dev.tcpautopsy.report.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.AppContext;
import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.FlowSet;
import dev.tcpautopsy.report.Golden;
import dev.tcpautopsy.report.MemoryTarget;
import dev.tcpautopsy.report.ReportFixture;
import dev.tcpautopsy.report.csv.CsvRenderer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
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
    void anAnswerTheWireCannotTellIsNullInJsonAndEmptyInCsv() throws IOException {
        Flow u = ReportFixture.unread();
        AppContext app = new AppContext("tls", new AppContext.AppMessage(186, "client", "application data (19 bytes)"), null,
                null, null, null, null);
        Flow f = new Flow(u.stream(), u.client(), u.server(), u.firstFrame(), u.lastFrame(), u.start(), u.end(),
                u.handshakeSeen(), u.halfClosed(), u.termination(), u.fromClient(), u.fromServer(), u.handshakeRttMicros(),
                u.longestIdle(), u.history(), u.transitions(), u.lastPackets(), app);
        AnalysisReport r = ReportFixture.report();
        AnalysisReport one = new AnalysisReport(r.toolVersion(), r.generated(), r.settings(),
                List.of(r.captures().get(0).withFlows(FlowSet.of(List.of(f)))));
        MemoryTarget target = new MemoryTarget();
        new JsonRenderer(false).render(one, target);
        JsonNode written = MAPPER.readTree(target.text(JsonRenderer.FILE)).get("captures").get(0).get("flows").get(0).get("app");
        assertTrue(written.has("unanswered"), "a contract field, null when not known");
        assertTrue(written.get("unanswered").isNull());
        new CsvRenderer().render(one, target);
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(target.text(CsvRenderer.FILE))).getRecords();
        assertEquals("tls", rows.get(0).get("app_protocol"));
        assertEquals("", rows.get(0).get("unanswered_request"));
    }

    @Test
    void compactIsOneLineAndPrettyParsesToTheSameTree() throws IOException {
        String compact = render(false);
        assertEquals(1, compact.lines().count());
        assertTrue(compact.endsWith("}\n"));
        assertEquals(MAPPER.readTree(compact), MAPPER.readTree(render(true)));
    }
}
