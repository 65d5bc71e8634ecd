package dev.tcpautopsy.report;

import java.util.Map;

/**
 * What an application saw, spelled for people: the errno name of {@code AppView} with its Linux
 * number and the Windows Winsock code (values from Linux's errno.h and winerror.h).
 */
public final class Errno {
    private record Code(String linux, String windows, String meaning) {
    }

    private static final Map<String, Code> CODES = Map.of(
            "ECONNRESET", new Code("104", "WSAECONNRESET 10054", "connection reset by peer"),
            "EPIPE", new Code("32", "WSAECONNRESET 10054 / WSAECONNABORTED 10053", "broken pipe (write after peer closed)"),
            "ETIMEDOUT", new Code("110", "WSAETIMEDOUT 10060", "connection timed out"),
            "ECONNREFUSED", new Code("111", "WSAECONNREFUSED 10061", "connection refused"),
            "ECONNABORTED", new Code("103", "WSAECONNABORTED 10053", "software caused connection abort"),
            "EHOSTUNREACH", new Code("113", "WSAEHOSTUNREACH 10065", "no route to host"),
            "ENETUNREACH", new Code("101", "WSAENETUNREACH 10051", "network unreachable"),
            "EOF", new Code(null, null, "read() returned 0 (orderly end of stream)"),
            "none", new Code(null, null, "nothing (no error seen)"));

    private Errno() {
    }

    /**
     * For example {@code ECONNRESET (Linux 104, Windows WSAECONNRESET 10054): connection reset by peer};
     * an unknown name is returned as it is, {@code null} as "unknown".
     */
    public static String describe(String name) {
        if (name == null) {
            return "unknown";
        }
        Code c = CODES.get(name);
        if (c == null) {
            return name;
        }
        if (c.linux() == null) {
            return name + ": " + c.meaning();
        }
        return name + " (Linux " + c.linux() + ", Windows " + c.windows() + "): " + c.meaning();
    }

    /** The short codes only: {@code 104 / 10054}; empty when the name has none. */
    public static String numbers(String name) {
        Code c = name == null ? null : CODES.get(name);
        if (c == null || c.linux() == null) {
            return "";
        }
        return "Linux " + c.linux() + " / " + c.windows();
    }
}
