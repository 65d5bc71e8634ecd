package dev.tcpautopsy.app;

/** Names of numbered things: TLS alerts (RFC 8446 6, RFC 5246 7.2), HTTP/2 errors (RFC 9113 7), MySQL commands. */
final class Names {
    private static final String[] ALERTS = new String[121];
    private static final String[] H2_ERRORS = {"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
        "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
        "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};
    private static final String[] MYSQL_COMMANDS = {"COM_SLEEP", "COM_QUIT", "COM_INIT_DB", "COM_QUERY",
        "COM_FIELD_LIST", "COM_CREATE_DB", "COM_DROP_DB", "COM_REFRESH", "COM_SHUTDOWN", "COM_STATISTICS",
        "COM_PROCESS_INFO", "COM_CONNECT", "COM_PROCESS_KILL", "COM_DEBUG", "COM_PING", "COM_TIME",
        "COM_DELAYED_INSERT", "COM_CHANGE_USER", "COM_BINLOG_DUMP", "COM_TABLE_DUMP", "COM_CONNECT_OUT",
        "COM_REGISTER_SLAVE", "COM_STMT_PREPARE", "COM_STMT_EXECUTE", "COM_STMT_SEND_LONG_DATA", "COM_STMT_CLOSE",
        "COM_STMT_RESET", "COM_SET_OPTION", "COM_STMT_FETCH", "COM_DAEMON", "COM_BINLOG_DUMP_GTID",
        "COM_RESET_CONNECTION"};

    static {
        String[] s = {"0 close_notify", "10 unexpected_message", "20 bad_record_mac", "21 decryption_failed",
            "22 record_overflow", "30 decompression_failure", "40 handshake_failure", "41 no_certificate",
            "42 bad_certificate", "43 unsupported_certificate", "44 certificate_revoked", "45 certificate_expired",
            "46 certificate_unknown", "47 illegal_parameter", "48 unknown_ca", "49 access_denied", "50 decode_error",
            "51 decrypt_error", "60 export_restriction", "70 protocol_version", "71 insufficient_security",
            "80 internal_error", "86 inappropriate_fallback", "90 user_canceled", "100 no_renegotiation",
            "109 missing_extension", "110 unsupported_extension", "111 certificate_unobtainable",
            "112 unrecognized_name", "113 bad_certificate_status_response", "114 bad_certificate_hash_value",
            "115 unknown_psk_identity", "116 certificate_required", "120 no_application_protocol"};
        for (String e : s) {
            int sp = e.indexOf(' ');
            ALERTS[Integer.parseInt(e.substring(0, sp))] = e.substring(sp + 1);
        }
    }

    private Names() {
    }

    static String alertLevel(int level) {
        return level == 1 ? "warning" : level == 2 ? "fatal" : "level " + level;
    }

    static String alert(int desc) {
        return desc >= 0 && desc < ALERTS.length && ALERTS[desc] != null ? ALERTS[desc] : "alert " + desc;
    }

    static String h2Error(int code) {
        return code >= 0 && code < H2_ERRORS.length ? H2_ERRORS[code] : "error 0x" + Integer.toHexString(code);
    }

    /** A MySQL command byte's name, {@code null} for a byte that is no command. */
    static String mysqlCommand(int cmd) {
        return cmd >= 0 && cmd < MYSQL_COMMANDS.length ? MYSQL_COMMANDS[cmd] : null;
    }
}
