package dev.tcpautopsy.report.html;

import org.junit.jupiter.api.Test;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.exceptions.TemplateProcessingException;
import org.thymeleaf.standard.StandardDialect;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.StringTemplateResolver;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The direct accessor calls give what OGNL gives, and leave OGNL everything else. */
class AccessorPathsTest {
    /** Package-private, as the page's view records are. */
    record Row(String name, int count, Inner inner, List<String> tags, boolean flag) {
    }

    record Inner(String label, Duration span) {
    }

    private static final String TEMPLATE = """
            <p th:text="${r.name()}">x</p>
            <p th:text="${r.count()}">x</p>
            <p th:text="${r.inner().label()}">x</p>
            <p th:text="${r.inner().span().toSeconds()}">x</p>
            <p th:text="${r.tags().size()}">x</p>
            <p th:if="${r.flag()}">flagged</p>
            <p th:unless="${r.flag()}">not flagged</p>
            <p th:attr="data-x=${r.name()},data-n=${r.count() + 1}">x</p>
            <p th:each="t : ${r.tags()}" th:text="${t.length()} + ':' + ${t}">x</p>
            <p th:text="${#lists.isEmpty(r.tags())}">x</p>
            <p th:text="${missing}">x</p>
            <p th:text="${r}">x</p>
            <p th:if="${on}">on</p>
            <p th:text="${count}">x</p>
            <p th:text="${null}">x</p>
            <p th:if="${true}">true</p>
            <p th:text="${m.get('k')}">x</p>
            """;

    private static TemplateEngine engine(boolean direct) {
        StandardDialect dialect = new StandardDialect();
        if (direct) {
            dialect.setVariableExpressionEvaluator(new AccessorPaths(dialect.getVariableExpressionEvaluator()));
        }
        StringTemplateResolver resolver = new StringTemplateResolver();
        resolver.setTemplateMode(TemplateMode.HTML);
        TemplateEngine e = new TemplateEngine();
        e.setDialect(dialect);
        e.setTemplateResolver(resolver);
        return e;
    }

    private static String render(boolean direct, String template, Row row) {
        Context ctx = new Context();
        ctx.setVariable("r", row);
        ctx.setVariable("m", Map.of("k", "from a map"));
        ctx.setVariable("on", row.flag());
        ctx.setVariable("count", row.count());
        return engine(direct).process(template, ctx);
    }

    @Test
    void theSamePageAsOgnl() {
        for (Row r : List.of(new Row("a<b&c", 7, new Inner("in", Duration.ofSeconds(90)), List.of("x", "yz"), true),
                new Row("", 0, new Inner(null, Duration.ZERO), List.of(), false),
                new Row(null, -1, new Inner("i", Duration.ofMillis(1)), List.copyOf(List.of("one")), false))) {
            String ognl = render(false, TEMPLATE, r);
            assertEquals(ognl, render(true, TEMPLATE, r));
        }
    }

    /** The point of it: accessor paths never reach OGNL, through a hidden List class and a package-private record alike. */
    @Test
    void accessorPathsDoNotReachOgnl() {
        StandardDialect dialect = new StandardDialect();
        org.thymeleaf.standard.expression.IStandardVariableExpressionEvaluator ognl = dialect.getVariableExpressionEvaluator();
        java.util.List<String> reached = new java.util.ArrayList<>();
        dialect.setVariableExpressionEvaluator(new AccessorPaths((c, e, x) -> {
            reached.add(e.getExpression());
            return ognl.evaluate(c, e, x);
        }));
        StringTemplateResolver resolver = new StringTemplateResolver();
        resolver.setTemplateMode(TemplateMode.HTML);
        TemplateEngine e = new TemplateEngine();
        e.setDialect(dialect);
        e.setTemplateResolver(resolver);
        Context ctx = new Context();
        ctx.setVariable("r", new Row("a", 1, new Inner("in", Duration.ofSeconds(3)), List.of("x"), true));
        ctx.setVariable("several", true);
        String out = e.process("<b th:if=\"${several}\">s</b><p th:text=\"${r.inner().label()}\">x</p><p th:text=\"${r.tags().size()}\">x</p>"
                + "<p th:text=\"${r.inner().span().toSeconds()}\">x</p><p th:text=\"${#lists.size(r.tags())}\">x</p>", ctx);
        assertEquals("<b>s</b><p>in</p><p>1</p><p>3</p><p>1</p>", out);
        assertEquals(List.of("#lists.size(r.tags())"), reached);
    }

    @Test
    void aCallOnNullFailsAsWithOgnl() {
        Row r = new Row("n", 1, null, List.of(), false);
        String t = "<p th:text=\"${r.inner().label()}\">x</p>";
        TemplateProcessingException ognl = assertThrows(TemplateProcessingException.class, () -> render(false, t, r));
        TemplateProcessingException direct = assertThrows(TemplateProcessingException.class, () -> render(true, t, r));
        assertEquals(ognl.getMessage(), direct.getMessage());
    }

    @Test
    void onlyAVariableAndAccessorCallsAreTakenDirectly() {
        assertArrayEquals(new String[] {"r"}, AccessorPaths.parse("r"));
        assertArrayEquals(new String[] {"r", "cls"}, AccessorPaths.parse("r.cls()"));
        assertArrayEquals(new String[] {"report", "settings", "merged"}, AccessorPaths.parse(" report.settings().merged() "));
        for (String other : List.of("null", "true", "this", "null.x()", "r.cls", "r.cls(1)", "#lists.size(x)", "r.a() + 1", "a.b().c", "m.get('k')",
                "r.cls()[0]", "r?.cls()", "")) {
            assertEquals(0, AccessorPaths.parse(other).length, other);
        }
    }
}
