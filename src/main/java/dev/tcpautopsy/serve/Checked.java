package dev.tcpautopsy.serve;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An uploaded file under tmp/, checked to be a capture by its magic bytes (pcap, pcapng, either
 * gzip-compressed, read through the analyzer's own {@link Captures}), and hashed.
 *
 * @param name   the client's name for it, made safe: for display and search only
 * @param kind   {@code pcap}, {@code pcapng}, and {@code .gz} when compressed
 * @param sha256 its content's digest, in hex
 */
record Checked(Path file, String name, String kind, String sha256, long bytes) {

    /**
     * Checks {@code file}.
     *
     * @param what how the refusal names it: its name, perhaps with its point
     * @throws Intake.Refused when it is not a capture, the reason naming it and never a server path
     */
    static Checked of(Path file, String name, String what, DataDir dir) throws IOException {
        String kind;
        try {
            kind = kind(file);
        } catch (IOException e) {
            throw new Intake.Refused(Admission.NOT_A_CAPTURE, what + " is not a capture: "
                    + dir.relative(e.getMessage()));
        }
        return new Checked(file, name, kind, sha256(file), Files.size(file));
    }

    /** {@code pcap}, {@code pcapng}, and {@code .gz} when compressed, from the magic bytes; throws when it is neither. */
    static String kind(Path file) throws IOException {
        try (CaptureReader r = Captures.open(file)) {
            String f = r.format().startsWith("pcapng") ? "pcapng" : "pcap";
            return r.compressed() ? f + ".gz" : f;
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
