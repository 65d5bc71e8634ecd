package dev.tcpautopsy.report.compare;

import dev.tcpautopsy.model.Comparison;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.ReportTarget;
import dev.tcpautopsy.report.Texts;
import dev.tcpautopsy.report.Utf8Writer;
import dev.tcpautopsy.report.html.Templates;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.time.temporal.ChronoUnit;

/**
 * {@code compare.html}: one self-contained page (inline CSS, nothing fetched): the headline, the two
 * points and their clocks, a table of the connections, and for those not identical the two ladders side
 * by side with the segments lost or appeared in between marked.
 */
public final class CompareHtml implements CompareRenderer {
    public static final String FILE = "compare.html";

    private final TemplateEngine engine;

    public CompareHtml() {
        engine = Templates.engine();
    }

    @Override
    public String fileName() {
        return FILE;
    }

    @Override
    public void render(Comparison c, ReportTarget target) throws IOException {
        ComparePage page = new ComparePage(c);
        Context ctx = new Context();
        ctx.setVariable("c", c);
        ctx.setVariable("page", page);
        ctx.setVariable("rows", page.rows);
        ctx.setVariable("cards", page.cards);
        ctx.setVariable("clock", page.clock);
        ctx.setVariable("leftOut", page.leftOut);
        ctx.setVariable("generated", c.generated().truncatedTo(ChronoUnit.SECONDS).toString());
        ctx.setVariable("threshold", Units.threshold(c.idleThreshold()));
        ctx.setVariable("first", new String[] {instant(c.a().first()), instant(c.b().first())});
        ctx.setVariable("last", new String[] {instant(c.a().last()), instant(c.b().last())});
        try (OutputStream out = target.open(FILE); Writer w = new Utf8Writer(out, 1 << 16)) {
            engine.process("compare", ctx, w);
        }
    }

    private static String instant(java.time.Instant t) {
        return t == null ? "" : Texts.instant(t);
    }
}
