package dev.tcpautopsy.serve;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Runs before every request: the access token (when one is set), and two checks that keep a web
 * page the user happens to visit from driving a service on their loopback: the Host header must
 * name this machine (DNS rebinding), and a state-changing request that carries an Origin must come
 * from the service's own pages (cross-site request forgery).
 */
final class Guard {
    static final String COOKIE = "tcpautopsy_session";

    private final String token;
    private final boolean loopbackOnly;
    private final Sessions sessions;
    private final Backoff backoff;

    Guard(String token, boolean loopbackOnly, LongSupplier clock) {
        this.token = token;
        this.loopbackOnly = loopbackOnly;
        this.sessions = new Sessions(clock);
        this.backoff = new Backoff(clock);
    }

    boolean tokenRequired() {
        return token != null;
    }

    /** Throws {@link ApiError}, or redirects a page request to the login page, when the request may not go on. */
    void check(Context ctx) {
        if (loopbackOnly && !loopbackHost(ctx.header("Host"))) {
            throw new ApiError(421, "bad_host", "this service answers to localhost / 127.0.0.1 only, not to Host: "
                    + ctx.header("Host"));
        }
        HandlerType m = ctx.method();
        if (m != HandlerType.GET && m != HandlerType.HEAD && !sameOrigin(ctx)) {
            throw new ApiError(403, "cross_origin", "refused a " + m + " from another site (Origin: "
                    + ctx.header("Origin") + ")");
        }
        // the login page and its script and style sheet are the only things open without the token
        if (token == null || ctx.path().equals("/login") || ctx.path().startsWith("/static/")
                || ctx.path().equals("/favicon.ico") || authorized(ctx)) {
            return;
        }
        if (m == HandlerType.GET && !ctx.path().startsWith("/api/")) {
            ctx.redirect("/login?next=" + java.net.URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8));
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.header("WWW-Authenticate", "Bearer realm=\"tcpautopsy\"");
        throw new ApiError(401, "unauthorized", "missing or wrong access token: send the header "
                + "'Authorization: Bearer TOKEN' (the token given by --token-file, TCPAUTOPSY_TOKEN or --token)");
    }

    /**
     * A bearer token or a session cookie. A wrong token counts against the client's address (see
     * {@link Backoff}); a cookie that is no session does not (it may be one from before a restart,
     * and a 256-bit id is not guessed).
     */
    private boolean authorized(Context ctx) {
        String h = ctx.header("Authorization");
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return tokenMatches(ctx, h.substring(7).trim());
        }
        return sessions.valid(ctx.cookie(COOKIE));
    }

    /** Checks a token typed into the login page; on success opens a session and sets its cookie. */
    boolean login(Context ctx, String typed) {
        if (token == null || typed == null || !tokenMatches(ctx, typed.trim())) {
            return false;
        }
        // HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it
        ctx.header("Set-Cookie", COOKIE + "=" + sessions.open() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + Sessions.TTL.toSeconds());
        return true;
    }

    /** Compares a token a client sent, unless the client is made to wait for its wrong ones (429). */
    private boolean tokenMatches(Context ctx, String sent) {
        String client = ctx.ip();
        long wait = backoff.waitSeconds(client);
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new ApiError(429, "too_many_attempts", "too many wrong access tokens from " + client + ": try again in "
                    + wait + " s");
        }
        if (same(sent, token)) {
            backoff.succeeded(client);
            return true;
        }
        backoff.failed(client);
        return false;
    }

    /**
     * Where to go after logging in: a path of this service only, never another site. Browsers drop
     * tabs and line breaks from a URL and read a backslash as a slash, so only printable ASCII
     * without a backslash is taken, and it must parse as a path with neither scheme nor host.
     */
    static String safeNext(String next) {
        if (next == null || next.length() > 2000 || !next.startsWith("/") || next.startsWith("//")) {
            return "/";
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '\\') {
                return "/";
            }
        }
        try {
            URI u = new URI(next);
            return u.getScheme() == null && u.getRawAuthority() == null ? next : "/";
        } catch (URISyntaxException e) {
            return "/";
        }
    }

    /**
     * Whether a request's Origin names the host the request was sent to: its Host, or the
     * X-Forwarded-Host of a reverse proxy in front (a proxy on loopback keeps Host as the upstream
     * address, which the Host check wants). Ports are not compared: behind a TLS proxy the Origin
     * says 443 where Host says nothing.
     */
    private static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true;  // not a browser's cross-site request (curl, scripts)
        }
        String originHost;
        try {
            originHost = URI.create(origin).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (originHost == null) {
            return false;
        }
        originHost = originHost.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
        for (String h : new String[] {ctx.header("Host"), ctx.header("X-Forwarded-Host")}) {
            if (h != null && !h.isBlank()) {
                String hp = hostPort(h.split(",")[0]);
                if (hp.substring(0, hp.lastIndexOf(':')).equals(originHost)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** "host:port" of a Host header, with port 80 when none is given and IPv6 brackets removed. */
    static String hostPort(String host) {
        String h = host.trim();
        String port = "80";
        int colon = h.lastIndexOf(':');
        if (colon > h.lastIndexOf(']')) {
            port = h.substring(colon + 1);
            h = h.substring(0, colon);
        }
        return h.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT) + ":" + port;
    }

    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String hp = hostPort(host);
        return ServeSettings.isLoopback(hp.substring(0, hp.lastIndexOf(':')));
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
