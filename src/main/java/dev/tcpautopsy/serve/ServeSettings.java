package dev.tcpautopsy.serve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the service runs: where it listens, where it keeps things, and its limits.
 *
 * @param bind            address to listen on; loopback unless the operator exposed it on purpose
 * @param port            TCP port, 0 for any free one
 * @param data            the data directory: captures, reports, the embedded index, temporary files
 * @param jdbcUrl         the index database; {@code null} for the embedded H2 file under {@code data}
 * @param dbUser          user for {@code jdbcUrl}, or {@code null}
 * @param dbPassword      password for {@code jdbcUrl}, or {@code null}
 * @param token           access token every request must carry, or {@code null} for none
 * @param workers         analyses run at once, each in its own worker process
 * @param maxUploadBytes  largest upload (one request, all its files)
 * @param maxFiles        files in one upload
 * @param maxQueued       analyses waiting for a worker
 * @param minFreeBytes    disk space to leave free under {@code data}
 * @param analysisTimeout time one analysis may take before its worker is killed
 * @param workerHeap      the worker JVM's -Xmx, e.g. {@code 1g}
 * @param idleThreshold   the analyzer's idle gap threshold
 * @param workerCommand   the worker process's JVM options and main class after {@code java -cp CLASSPATH};
 *                        empty for the default ({@link AnalysisWorker})
 */
public record ServeSettings(String bind, int port, Path data, String jdbcUrl, String dbUser, String dbPassword,
                            String token, int workers, long maxUploadBytes, int maxFiles, int maxQueued,
                            long minFreeBytes, Duration analysisTimeout, String workerHeap, Duration idleThreshold,
                            List<String> workerCommand) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_UPLOAD = 2L << 30;
    public static final int DEFAULT_MAX_FILES = 20;
    public static final int DEFAULT_MAX_QUEUED = 100;
    public static final long DEFAULT_MIN_FREE = 1L << 30;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    private static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    public ServeSettings {
        Objects.requireNonNull(bind, "bind");
        data = data.toAbsolutePath().normalize();
        workerCommand = List.copyOf(workerCommand);
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (workers < 1 || maxFiles < 1 || maxQueued < 1 || maxUploadBytes < 1) {
            throw new IllegalArgumentException("workers, max files, max queued and max upload must be at least 1");
        }
    }

    /** The defaults of {@code tcpautopsy serve} with everything under {@code data}. */
    public static ServeSettings defaults(Path data) {
        return new ServeSettings(DEFAULT_BIND, DEFAULT_PORT, data, null, null, null, null, defaultWorkers(),
                DEFAULT_MAX_UPLOAD, DEFAULT_MAX_FILES, DEFAULT_MAX_QUEUED, DEFAULT_MIN_FREE, DEFAULT_TIMEOUT, "1g",
                Duration.ofSeconds(30), List.of());
    }

    /** Half the processors, at least one: the other half keeps serving pages and taking uploads. */
    public static int defaultWorkers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public ServeSettings withPort(int p) {
        return new ServeSettings(bind, p, data, jdbcUrl, dbUser, dbPassword, token, workers, maxUploadBytes, maxFiles,
                maxQueued, minFreeBytes, analysisTimeout, workerHeap, idleThreshold, workerCommand);
    }

    public ServeSettings withToken(String t) {
        return new ServeSettings(bind, port, data, jdbcUrl, dbUser, dbPassword, t, workers, maxUploadBytes, maxFiles,
                maxQueued, minFreeBytes, analysisTimeout, workerHeap, idleThreshold, workerCommand);
    }

    public ServeSettings withDatabase(String url, String user, String password) {
        return new ServeSettings(bind, port, data, url, user, password, token, workers, maxUploadBytes, maxFiles,
                maxQueued, minFreeBytes, analysisTimeout, workerHeap, idleThreshold, workerCommand);
    }

    public ServeSettings withWorkers(int n, Duration timeout, List<String> command) {
        return new ServeSettings(bind, port, data, jdbcUrl, dbUser, dbPassword, token, n, maxUploadBytes, maxFiles,
                maxQueued, minFreeBytes, timeout, workerHeap, idleThreshold, command);
    }

    public ServeSettings withLimits(long maxUpload, int files, int queued, long minFree) {
        return new ServeSettings(bind, port, data, jdbcUrl, dbUser, dbPassword, token, workers, maxUpload, files,
                queued, minFree, analysisTimeout, workerHeap, idleThreshold, workerCommand);
    }

    /** Whether {@link #bind} is a loopback address (127.0.0.0/8, ::1, localhost). */
    public boolean loopback() {
        return isLoopback(bind);
    }

    /**
     * Whether {@code address} is {@code localhost} or a literal loopback address: a dotted quad in
     * 127.0.0.0/8 or an IPv6 spelling of ::1. A name is never looked up, and a name that merely starts
     * like one ({@code 127.0.0.1.rebind.example}) is a name someone else's DNS answers for.
     */
    public static boolean isLoopback(String address) {
        String a = address.trim();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.equalsIgnoreCase("localhost") || a.equalsIgnoreCase("localhost.")) {
            return true;
        }
        Matcher quad = DOTTED_QUAD.matcher(a);
        if (quad.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(quad.group(i)) > 255) {
                    return false;
                }
            }
            return quad.group(1).equals("127");
        }
        // only hex digits, colons and dots: an IPv6 literal, which getByName parses without asking DNS
        if (a.indexOf(':') >= 0 && IPV6_CHARS.matcher(a).matches()) {
            try {
                return InetAddress.getByName(a).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
