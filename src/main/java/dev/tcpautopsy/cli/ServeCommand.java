package dev.tcpautopsy.cli;

import dev.tcpautopsy.serve.ServeSettings;
import dev.tcpautopsy.serve.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code tcpautopsy serve}: the upload-and-share web service. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Runs a small web service: upload captures (page or JSON API), get a permalink to the "
                + "report, search and share the analyses. Everything lives under --data."},
        footerHeading = "%nExamples:%n",
        footer = {"  tcpautopsy serve                                     http://127.0.0.1:8080/, data in ./tcpautopsy-data",
                "  tcpautopsy serve --token-file /etc/tcpautopsy/token --bind 0.0.0.0 --expose --data /srv/tcpautopsy",
                "  TCPAUTOPSY_DB_PASSWORD=... tcpautopsy serve --jdbc-url jdbc:postgresql://db/tcpautopsy --db-user tcpa",
                "  curl -F files=@incident.pcapng -F ticket=INC-42 http://127.0.0.1:8080/api/analyses"})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = ServeSettings.DEFAULT_BIND,
            description = "Address to listen on (default: ${DEFAULT-VALUE}). Anything but loopback needs --expose.")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "tcpautopsy-data",
            description = "Where captures, reports and the embedded index live (default: ./${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--expose", description = "Allow --bind to a non-loopback address: other hosts can then reach "
            + "the service (set a token).")
    boolean expose;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File whose first line is the access token "
            + "every page and API call must carry (other users see a --token in the process list, not this).")
    Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Access token, given on the command line: prefer "
            + "--token-file or the environment variable TCPAUTOPSY_TOKEN (the default; none when unset).")
    String token;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "Keep the index in this database instead of the "
            + "embedded H2 file, e.g. jdbc:postgresql://db.example/tcpautopsy (default: TCPAUTOPSY_JDBC_URL).")
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "Database user (default: TCPAUTOPSY_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", description = "Database password; prefer the "
            + "environment variable TCPAUTOPSY_DB_PASSWORD, which other users cannot see in the process list.")
    String dbPassword;

    @Option(names = "--workers", paramLabel = "N", description = "Analyses run at once, each in its own worker "
            + "process (default: half the processors, at least 1).")
    Integer workers;

    @Option(names = "--max-upload", paramLabel = "SIZE", defaultValue = "2GiB", converter = SizeConverter.class,
            description = "Largest upload, all its files together (default: ${DEFAULT-VALUE}).")
    long maxUpload;

    @Option(names = "--max-files", paramLabel = "N", defaultValue = "20",
            description = "Files in one upload (default: ${DEFAULT-VALUE}).")
    int maxFiles;

    @Option(names = "--max-queued", paramLabel = "N", defaultValue = "100",
            description = "Analyses waiting for a worker before uploads are refused (default: ${DEFAULT-VALUE}).")
    int maxQueued;

    @Option(names = "--min-free-disk", paramLabel = "SIZE", defaultValue = "1GiB", converter = SizeConverter.class,
            description = "Disk space under --data that uploads must leave free (default: ${DEFAULT-VALUE}).")
    long minFree;

    @Option(names = "--analysis-timeout", paramLabel = "DURATION", defaultValue = "30m",
            converter = DurationConverter.class,
            description = "Time one analysis may take before its worker is stopped and it fails (default: ${DEFAULT-VALUE}).")
    Duration analysisTimeout;

    @Option(names = "--worker-heap", paramLabel = "SIZE", defaultValue = "1g",
            description = "Java heap of each worker process, as -Xmx takes it (default: ${DEFAULT-VALUE}).")
    String workerHeap;

    @Option(names = "--idle-threshold", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "A silence at least this long is an idle gap (default: ${DEFAULT-VALUE}).")
    Duration idleThreshold;

    @Option(names = "--quiet", description = "No access log (one line a request on standard output).")
    boolean quiet;

    /**
     * Sizes such as 2GiB, 500MB, 1g, 65536: units are binary (k = 1024) whether or not an {@code i} is
     * written, as {@code -Xmx} and {@code df -h} read them.
     */
    static final class SizeConverter implements ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b?)");

        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a size (expected e.g. 2GiB, 500MiB, 65536)");
            }
            int shift = switch (m.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift)).longValue();
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeSettings settings = settings();
        if (token != null) {
            err.println("tcpautopsy serve: warning: --token shows the token to every user of this machine (ps); "
                    + "prefer --token-file or TCPAUTOPSY_TOKEN");
        }
        if (!settings.loopback() && settings.token() == null) {
            err.println("tcpautopsy serve: warning: listening on " + bind + " without an access token: anyone who "
                    + "reaches it can upload, read and delete (set --token-file or TCPAUTOPSY_TOKEN)");
        }
        Service service;
        try {
            service = Service.start(settings, quiet ? line -> { } : line -> {
                out.println(line);
                out.flush();
            });
        } catch (IOException | SQLException | RuntimeException e) {
            err.println("tcpautopsy serve: cannot start: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "tcpautopsy-serve-stop"));
        out.println("tcpautopsy serve: listening on " + service.url() + " (data: " + settings.data() + "; index: "
                + service.indexDescription() + (settings.token() != null ? "; access token required" : "") + ")");
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    ServeSettings settings() {
        if (!ServeSettings.isLoopback(bind) && !expose) {
            throw new ParameterException(spec.commandLine(), "--bind " + bind + " is not a loopback address: add "
                    + "--expose to let other hosts reach the service (and set an access token)");
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port " + port + " is not a TCP port (expected 0..65535)");
        }
        int n = workers == null ? ServeSettings.defaultWorkers() : workers;
        if (n < 1 || maxFiles < 1 || maxQueued < 1 || maxUpload < 1) {
            throw new ParameterException(spec.commandLine(), "--workers, --max-files, --max-queued and --max-upload "
                    + "must be at least 1");
        }
        if (!workerHeap.matches("\\d+[kKmMgG]?")) {
            throw new ParameterException(spec.commandLine(), "--worker-heap " + workerHeap + " is not a heap size "
                    + "(expected e.g. 512m, 2g)");
        }
        return new ServeSettings(bind, port, data, orEnv(jdbcUrl, "TCPAUTOPSY_JDBC_URL"),
                orEnv(dbUser, "TCPAUTOPSY_DB_USER"), orEnv(dbPassword, "TCPAUTOPSY_DB_PASSWORD"),
                token(), n, maxUpload, maxFiles, maxQueued, minFree, analysisTimeout,
                workerHeap, idleThreshold, List.of());
    }

    /** The token from --token-file, --token or TCPAUTOPSY_TOKEN, in that order; null for none. */
    private String token() {
        if (tokenFile == null) {
            return orEnv(token, "TCPAUTOPSY_TOKEN");
        }
        if (token != null) {
            throw new ParameterException(spec.commandLine(), "give the token once: --token-file or --token, not both");
        }
        String first;
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(tokenFile)) {
            first = r.readLine();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--token-file " + tokenFile + ": cannot read it ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (first == null || first.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--token-file " + tokenFile + " is empty: its first line "
                    + "is the token");
        }
        return first.strip();
    }

    private static String orEnv(String value, String variable) {
        if (value != null && !value.isBlank()) {
            return value;
        }
        String v = System.getenv(variable);
        return v == null || v.isBlank() ? null : v;
    }
}
