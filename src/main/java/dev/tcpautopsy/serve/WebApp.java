package dev.tcpautopsy.serve;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The web server: Javalin on Jetty, with the guard in front of every request, security headers on
 * every answer, the service's own pages, and the API and file routes of {@link Api} and {@link Permalinks}.
 */
final class WebApp {
    /** The service's own pages: their scripts and styles come from this origin only, nothing inline. */
    static final String CSP_APP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /**
     * A report page: its own inline CSS and script and nothing else, no fetch, no form, no frame; and
     * a sandbox, so that even a flaw in the report's escaping cannot act as the service's pages do.
     */
    static final String CSP_REPORT = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; frame-ancestors 'none'; "
            + "base-uri 'none'; sandbox allow-scripts allow-modals";

    private static final Map<String, String> ASSETS = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private WebApp() {
    }

    /**
     * Starts listening where the settings say.
     *
     * @param log   receives the access log and internal errors
     * @param index where a permalink page looks its analysis up (a 404 for anything else)
     */
    static Javalin start(ServeSettings settings, LongSupplier clock, Consumer<String> log, AnalysisIndex index, Api api,
                         Permalinks files) {
        Guard guard = new Guard(settings.token(), settings.loopback(), clock);
        Map<String, byte[]> pages = new LinkedHashMap<>();
        for (String p : new String[] {"index.html", "analysis.html", "login.html", "app.js", "app.css"}) {
            pages.put(p, resource(p));
        }
        Javalin app = Javalin.create(config -> {
            configure(config, log);
            config.routes.before(ctx -> {
                securityHeaders(ctx);
                guard.check(ctx);
            });
            config.routes.get("/", ctx -> page(ctx, pages.get("index.html")));
            config.routes.get("/a/{id}", ctx -> {
                Api.analysis(index, ctx.pathParam("id"));
                page(ctx, pages.get("analysis.html"));
            });
            config.routes.get("/static/{file}", ctx -> {
                String type = ASSETS.get(ctx.pathParam("file"));
                if (type == null) {
                    throw ApiError.notFound("file");
                }
                ctx.contentType(type).header("Cache-Control", "no-cache").result(pages.get(ctx.pathParam("file")));
            });
            config.routes.get("/login", ctx -> page(ctx, pages.get("login.html")));
            config.routes.get("/favicon.ico", ctx -> ctx.status(204));
            config.routes.post("/login", ctx -> {
                String next = Guard.safeNext(ctx.formParam("next"));
                if (guard.login(ctx, ctx.formParam("token"))) {
                    ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
                } else {
                    ctx.redirect("/login?failed=1&next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8),
                            io.javalin.http.HttpStatus.SEE_OTHER);
                }
            });
            api.routes(config);
            files.routes(config);
            config.routes.exception(ApiError.class, (e, ctx) -> {
                if (e.status == 503) {
                    ctx.header("Retry-After", Api.RETRY_AFTER);
                }
                ctx.status(e.status).json(error(e.code, e.getMessage()));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.accept("tcpautopsy serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
                // the exception's text may name the server's files: it goes to the log only
                ctx.status(500).json(error("internal", "internal error on " + ctx.method() + " " + ctx.path()
                        + "; the service's log has the details"));
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    ctx.json(error("not_found", "no such page: " + ctx.path()));
                }
            });
        });
        app.start(settings.bind(), settings.port());
        return app;
    }

    private static void configure(JavalinConfig config, Consumer<String> log) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.prefer405over404 = true;
        config.jetty.modifyServer(server -> server.setErrorHandler(new ErrorPages()));
        config.requestLogger.http((ctx, ms) -> log.accept(Instant.now().toString().replaceAll("\\.\\d+Z$", "Z") + " "
                + ctx.ip() + " \"" + ctx.method() + " " + ctx.path() + "\" " + ctx.statusCode() + " "
                + Math.round(ms) + " ms"));
    }

    private static void securityHeaders(Context ctx) {
        ErrorPages.SECURITY_HEADERS.forEach(ctx::header);
        if (ctx.method() != HandlerType.GET || ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    private static void page(Context ctx, byte[] html) {
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-cache").result(html);
    }

    static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("code", code);
        return m;
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebApp.class.getResourceAsStream("/serve/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /serve/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
