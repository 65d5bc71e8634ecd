package dev.tcpautopsy.serve;

import dev.tcpautopsy.capture.CaptureReader;
import dev.tcpautopsy.capture.Captures;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Takes uploaded files in: each is already on disk under tmp/ when it gets here. It is checked by
 * its magic bytes (pcap, pcapng, either gzip-compressed, read through the analyzer's own
 * {@link Captures}), hashed, and either attached to the analysis of the same content or moved
 * under captures/ with a generated name and queued.
 */
final class Intake {
    /** One file's answer. {@code status} is 202 when accepted, else the HTTP status of {@code error}. */
    record Result(String file, String id, boolean duplicate, State state, int status, String code, String error) {
        static Result rejected(String file, ApiError e) {
            return new Result(file, null, false, null, e.status, e.code, e.getMessage());
        }
    }

    private final DataDir dir;
    private final AnalysisIndex index;
    private final WorkerPool pool;
    private final ServeSettings settings;
    private final Clock clock;
    /** Serializes "same content already here?" with "insert": two uploads of one file make one analysis. */
    private final Object admit = new Object();

    Intake(DataDir dir, AnalysisIndex index, WorkerPool pool, ServeSettings settings, Clock clock) {
        this.dir = dir;
        this.index = index;
        this.pool = pool;
        this.settings = settings;
        this.clock = clock;
    }

    /** Refuses a request early, before its body is read, when a limit already rules it out. */
    void precheck(long contentLength) throws SQLException, IOException {
        if (contentLength > settings.maxUploadBytes()) {
            throw tooLarge(contentLength);
        }
        if (index.countQueued() >= settings.maxQueued()) {
            throw queueFull();
        }
        long free = dir.usableSpace();
        long need = Math.max(contentLength, 0) + settings.minFreeBytes();
        if (free < need) {
            throw new ApiError(507, "disk_full", "not enough disk space: " + Sizes.format(free) + " free under "
                    + dir.root() + ", the upload" + (contentLength > 0 ? " needs " + Sizes.format(contentLength) + " and" : "")
                    + " " + Sizes.format(settings.minFreeBytes()) + " is kept free (--min-free-disk)");
        }
    }

    ApiError tooLarge(long size) {
        return new ApiError(413, "upload_too_large", "upload too large: " + (size > 0 ? Sizes.format(size) : "more")
                + " than the limit of " + Sizes.format(settings.maxUploadBytes()) + " (--max-upload)");
    }

    ApiError queueFull() {
        return new ApiError(503, "queue_full", "too many analyses waiting: " + settings.maxQueued()
                + " are queued, the limit (--max-queued); try again when some have finished");
    }

    /** Writes a stream to a new file under tmp/, refusing it past the upload limit. */
    Path spool(InputStream in) throws IOException {
        Path tmp = dir.newTmpFile();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > settings.maxUploadBytes()) {
                    throw tooLarge(-1);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /**
     * Takes one file that was written to {@code tmp} (which this method moves or deletes).
     *
     * @param fileName the client's name for it: kept for display and search only
     */
    Result accept(Path tmp, String fileName, String note, String ticket) throws IOException, SQLException {
        String name = Texts.clean(fileName, 255, "capture");
        try {
            String kind;
            try {
                kind = kind(tmp);
            } catch (IOException e) {
                return Result.rejected(name, new ApiError(415, "not_a_capture", name + " is not a capture: "
                        + e.getMessage()));
            }
            String sha = sha256(tmp);
            long size = Files.size(tmp);
            long now = clock.millis();
            Upload upload = new Upload(DataDir.newId(), null, name, Texts.clean(note, 2000, null),
                    Texts.clean(ticket, 200, null), now);
            synchronized (admit) {
                Optional<Analysis> existing = index.findBySha(sha);
                if (existing.isPresent()) {
                    return attach(existing.get(), upload);
                }
                if (index.countQueued() >= settings.maxQueued()) {
                    return Result.rejected(name, queueFull());
                }
                String id = DataDir.newId();
                Files.move(tmp, dir.capture(id), StandardCopyOption.ATOMIC_MOVE);
                try {
                    index.insert(Analysis.queued(id, sha, size, kind, now), withAnalysis(upload, id));
                } catch (SQLException e) {
                    Files.deleteIfExists(dir.capture(id));
                    throw e;
                }
                pool.submit(id);
                return new Result(name, id, false, State.QUEUED, 202, null, null);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Result attach(Analysis a, Upload upload) throws SQLException {
        index.addUpload(withAnalysis(upload, a.id()));
        State state = a.state();
        if (state == State.FAILED && index.retry(a.id())) {
            // the same capture again after a failure: worth another try (the failure may have been a restart)
            pool.submit(a.id());
            state = State.QUEUED;
        }
        return new Result(upload.fileName(), a.id(), true, state, 202, null, null);
    }

    private static Upload withAnalysis(Upload u, String id) {
        return new Upload(u.id(), id, u.fileName(), u.note(), u.ticket(), u.created());
    }

    /** {@code pcap}, {@code pcapng}, and {@code .gz} when compressed, from the magic bytes; throws when it is neither. */
    static String kind(Path file) throws IOException {
        try (CaptureReader r = Captures.open(file)) {
            String f = r.format().startsWith("pcapng") ? "pcapng" : "pcap";
            return r.compressed() ? f + ".gz" : f;
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
