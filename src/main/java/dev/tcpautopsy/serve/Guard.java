package dev.tcpautopsy.serve;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Runs before every request: the access token (when one is set), and two checks that keep a web
 * page the user happens to visit from driving a service on their loopback: the Host header must
 * name this machine (DNS rebinding), and a state-changing request that carries an Origin must come
 * from the service's own pages (cross-site request forgery).
 */
final class Guard {
    static final String COOKIE = "tcpautopsy_session";

    private final String token;
    private final String session;
    private final boolean loopbackOnly;

    Guard(String token, boolean loopbackOnly) {
        this.token = token;
        this.session = token == null ? null : sessionValue(token);
        this.loopbackOnly = loopbackOnly;
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
                + "'Authorization: Bearer TOKEN' (the token given by --token or TCPAUTOPSY_TOKEN)");
    }

    boolean authorized(Context ctx) {
        String h = ctx.header("Authorization");
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) && same(h.substring(7).trim(), token)) {
            return true;
        }
        String c = ctx.cookie(COOKIE);
        return c != null && same(c, session);
    }

    /** Checks a token typed into the login page; on success sets the session cookie. */
    boolean login(Context ctx, String typed) {
        if (token == null || typed == null || !same(typed.trim(), token)) {
            return false;
        }
        // HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it
        ctx.header("Set-Cookie", COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000");
        return true;
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

    /** The cookie's value: derived from the token, so the browser never stores the token itself. */
    static String sessionValue(String token) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("tcpautopsy-session\0".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
