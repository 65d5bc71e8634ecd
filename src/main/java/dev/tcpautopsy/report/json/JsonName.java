package dev.tcpautopsy.report.json;

import com.fasterxml.jackson.core.io.SerializedString;

import java.nio.charset.StandardCharsets;

/** A field name encoded once, for each kind of {@link JsonOut}: a report writes it for every flow. */
final class JsonName {
    final SerializedString serialized;
    /** {@code "name":} in UTF-8, quotes and colon included (names need no escaping). */
    final byte[] quoted;

    JsonName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                throw new IllegalArgumentException("field name needs escaping: " + name);
            }
        }
        serialized = new SerializedString(name);
        quoted = ("\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }
}
