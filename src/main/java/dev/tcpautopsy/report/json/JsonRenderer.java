package dev.tcpautopsy.report.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.tcpautopsy.model.AnalysisReport;
import dev.tcpautopsy.model.CaptureReport;
import dev.tcpautopsy.model.EndingTotals;
import dev.tcpautopsy.model.FlowRecord;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.FlowChunks;
import dev.tcpautopsy.report.ReportRenderer;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.ReportVisitor;
import dev.tcpautopsy.report.Texts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code report.json}: the contract's fields plus everything the HTML report shows, streamed
 * so that only one flow is in hand at a time: with a {@link JsonGenerator}, and the flows, most of
 * the bytes, with {@link JsonOut} (the same bytes, faster). Field order follows
 * the contract. The contract's fields are always present ({@code null} where the contract names a field
 * whose value is unknown); any other field is written only when its value is known and not empty:
 * no {@code null}, {@code -1}, frame 0, {@code []} or <code>{}</code> standing for "none" (a flow of an ordinary
 * capture is then a few hundred bytes, not over a kilobyte).
 */
public final class JsonRenderer implements ReportRenderer {
    public static final String FILE = "report.json";

    private final JsonFactory factory = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    private final boolean pretty;
    /** Flows written by {@link JsonOut#direct} rather than through the generator (compact output only). */
    private final boolean direct;

    /** @param pretty indent the output (for people and tests); compact otherwise */
    public JsonRenderer(boolean pretty) {
        this(pretty, !pretty);
    }

    JsonRenderer(boolean pretty, boolean direct) {
        if (pretty && direct) {
            throw new IllegalArgumentException("the direct flow writer writes compact JSON only");
        }
        this.pretty = pretty;
        this.direct = direct;
    }

    public JsonRenderer() {
        this(false);
    }

    @Override
    public String fileName() {
        return FILE;
    }

    @Override
    public ReportVisitor start(AnalysisReport report, ReportTarget target) throws IOException {
        OutputStream out = target.open(FILE);
        JsonGenerator g;
        try {
            g = factory.createGenerator(out, JsonEncoding.UTF8);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        if (pretty) {
            g.useDefaultPrettyPrinter();
        }
        Writing w = new Writing(out, g, direct ? out : null);
        head(report, g);
        return w;
    }

    private static void head(AnalysisReport r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("tool", "tcpautopsy");
        g.writeStringField("version", r.toolVersion());
        g.writeStringField("generated", Texts.instant(r.generated()));
        g.writeObjectFieldStart("settings");
        g.writeStringField("idleThreshold", Units.threshold(r.settings().idleThreshold()));
        g.writeNumberField("idleThresholdMillis", r.settings().idleThreshold().toMillis());
        g.writeBooleanField("merged", r.settings().merged());
        g.writeArrayFieldStart("inputs");
        for (String in : r.settings().inputs()) {
            g.writeString(in);
        }
        g.writeEndArray();
        if (r.settings().filtered()) {
            g.writeArrayFieldStart("filters");
            for (String f : r.settings().filters()) {
                g.writeString(f);
            }
            g.writeEndArray();
            long[] all = EndingTotals.unfiltered(r.captures());
            g.writeObjectFieldStart("unfiltered");
            g.writeNumberField("flows", all[0]);
            g.writeNumberField("abnormal", all[1]);
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeBooleanField("complete", r.complete());
        if (r.captures().size() > 1 && !r.findings().isEmpty()) {
            FindingFields.batch(r.findings(), g);
        }
        g.writeArrayFieldStart("captures");
    }

    /** One report.json being written. */
    private static final class Writing implements ReportVisitor, FlowChunks {
        private final OutputStream out;
        private final JsonGenerator g;
        /** Where the flows go as bytes, or null to write them through {@code g}. */
        private final OutputStream direct;
        private JsonOut flows;

        Writing(OutputStream out, JsonGenerator g, OutputStream direct) {
            this.out = out;
            this.g = g;
            this.direct = direct;
        }

        @Override
        public boolean startCapture(CaptureReport c) throws IOException {
            g.writeStartObject();
            g.writeStringField("file", c.file());
            g.writeNumberField("packets", c.packets());
            CaptureFields.string("format", c.format(), g);
            g.writeBooleanField("compressed", c.compressed());
            if (c.bytes() >= 0) {
                g.writeNumberField("bytes", c.bytes());
            }
            CaptureFields.string("first", c.first() == null ? null : Texts.instant(c.first()), g);
            CaptureFields.string("last", c.last() == null ? null : Texts.instant(c.last()), g);
            CaptureFields.string("vantage", c.vantage(), g);
            if (c.error() != null) {
                g.writeObjectFieldStart("error");
                g.writeStringField("message", c.error().message());
                if (c.error().offset() >= 0) {
                    g.writeNumberField("offset", c.error().offset());
                }
                g.writeEndObject();
            }
            CaptureFields.linkTypes(c.linkTypes(), g);
            CaptureFields.decoding(c.decoding(), g);
            CaptureFields.summary(c.summary(), g);
            FindingFields.findings(c.findings(), g);
            g.writeArrayFieldStart("flows");
            if (direct == null) {
                flows = JsonOut.over(g);
            } else {
                // what the generator holds goes out first; it writes the array's end after the flows
                g.flush();
                flows = JsonOut.direct(direct);
            }
            return true;
        }

        @Override
        public boolean flow(FlowRecord f) throws IOException {
            FlowFields.flow(f, flows);
            return true;
        }

        @Override
        public boolean chunked() {
            return direct != null;
        }

        @Override
        public Formatter formatter() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 17);
            JsonOut.Direct out = (JsonOut.Direct) JsonOut.direct(bytes);
            return new Formatter() {
                @Override
                public void add(FlowRecord f) throws IOException {
                    FlowFields.flow(f, out);
                }

                @Override
                public byte[] chunk() throws IOException {
                    out.flush();
                    out.restart();
                    byte[] b = bytes.toByteArray();
                    bytes.reset();
                    return b;
                }
            };
        }

        @Override
        public void write(byte[] chunk, boolean first) throws IOException {
            // the flows of a chunk are separated as the writer separates them; chunks as well
            if (!first) {
                direct.write(',');
            }
            direct.write(chunk);
        }

        @Override
        public void endCapture(CaptureReport c) throws IOException {
            flows.flush();
            g.writeEndArray();
            g.writeEndObject();
        }

        @Override
        public void end() throws IOException {
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
            g.flush();
        }

        @Override
        public void close() throws IOException {
            try (out) {
                g.close();
            }
        }
    }
}
