package dev.tcpautopsy.app;

/** The protocols recognised, as numbers on the hot path and names in the report. */
final class Proto {
    static final int NONE = 0, HTTP = 1, HTTP2 = 2, GRPC = 3, TLS = 4, POSTGRESQL = 5, MYSQL = 6, REDIS = 7,
            SMTP = 8, FTP = 9, IMAP = 10, POP3 = 11;
    private static final String[] NAMES = {null, "http", "http2", "grpc", "tls", "postgresql", "mysql", "redis",
        "smtp", "ftp", "imap", "pop3"};

    private Proto() {
    }

    static String name(int p) {
        return NAMES[p];
    }
}
