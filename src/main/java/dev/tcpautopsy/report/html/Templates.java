package dev.tcpautopsy.report.html;

import org.thymeleaf.TemplateEngine;
import org.thymeleaf.standard.StandardDialect;
import org.thymeleaf.standard.serializer.StandardJavaScriptSerializer;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** The template engine of the HTML pages: templates from the classpath's {@code templates/}, set up once the same way. */
public final class Templates {
    private Templates() {
    }

    /**
     * An engine for the templates under {@code templates/} (cached once parsed), with Thymeleaf's own
     * JavaScript serializer rather than the default one over a Jackson ObjectMapper, whose construction
     * cost some 30 ms at every start: the pages inline no JavaScript; and with the template's plain
     * accessor expressions called directly ({@link AccessorPaths}).
     */
    public static TemplateEngine engine() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Templates.class.getClassLoader());
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        StandardDialect dialect = new StandardDialect();
        dialect.setJavaScriptSerializer(new StandardJavaScriptSerializer(false));
        dialect.setVariableExpressionEvaluator(new AccessorPaths(dialect.getVariableExpressionEvaluator()));
        TemplateEngine engine = new TemplateEngine();
        engine.setDialect(dialect);
        engine.setTemplateResolver(resolver);
        return engine;
    }
}
