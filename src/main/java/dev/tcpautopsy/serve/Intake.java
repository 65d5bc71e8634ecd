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
    /** Why an upload, or one file of it, is not taken. */
    enum Refusal {
        TOO_LARGE("upload_too_large"), QUEUE_FULL("queue_full"), DISK_FULL("disk_full"), NOT_A_CAPTURE("not_a_capture");

        final String code;

        Refusal(String code) {
            this.code = code;
        }
    }

    /**
     * An upload refused as a whole, before or while its body is read. An IOException, so that the
     * guarded body stream can throw it through Jetty's multipart parser.
     */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        final Refusal why;

        Refused(Refusal why, String message) {
            super(message);
            this.why = why;
        }
    }

    /** One file's answer: accepted ({@code refusal} null), or refused with a one-line reason. */
    record Result(String file, String id, boolean duplicate, State state, Refusal refusal, String error) {
        static Result rejected(String file, Refused r) {
            return new Result(file, null, false, null, r.why, r.getMessage());
        }
    }

    /** Free space is read again each time this much more of a body has arrived. */
    static final long SPACE_CHECK_EVERY = 1 << 20;

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
        if (free < Math.max(contentLength, 0) + settings.minFreeBytes()) {
            throw new Refused(Refusal.DISK_FULL, "not enough disk space" + (contentLength > 0 ? " for an upload of "
                    + Sizes.format(contentLength) : "") + ": " + Sizes.format(free) + " is free on the data directory's "
                    + "disk and " + Sizes.format(settings.minFreeBytes()) + " must stay free (--min-free-disk)");
        }
    }

    Refused tooLarge(long size) {
        return new Refused(Refusal.TOO_LARGE, "upload too large: " + (size > 0 ? Sizes.format(size) + ", " : "")
                + "more than the limit of " + Sizes.format(settings.maxUploadBytes()) + " (--max-upload)");
    }

    Refused queueFull() {
        return new Refused(Refusal.QUEUE_FULL, "too many analyses waiting: " + settings.maxQueued()
                + " are queued, the limit (--max-queued); try again when some have finished");
    }

    /**
     * The request body as it is read, held to the limits: past {@code --max-upload} it throws, and
     * when less than {@code --min-free-disk} is left on the disk (read again every
     * {@link #SPACE_CHECK_EVERY} bytes), it throws too, so a body of unannounced length is held to
     * the same floor as one whose length was checked before it started.
     */
    InputStream guard(InputStream body) {
        return new java.io.FilterInputStream(body) {
            private long total;
            private long nextCheck = SPACE_CHECK_EVERY;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    total += n;
                    if (total > settings.maxUploadBytes()) {
                        throw tooLarge(-1);
                    }
                    if (total >= nextCheck) {
                        nextCheck = total + SPACE_CHECK_EVERY;
                        long free = dir.usableSpace();
                        if (free < settings.minFreeBytes()) {
                            throw new Refused(Refusal.DISK_FULL, "not enough disk space: the upload was stopped after "
                                    + Sizes.format(total) + ", with " + Sizes.format(free) + " free on the data "
                                    + "directory's disk where " + Sizes.format(settings.minFreeBytes())
                                    + " must stay free (--min-free-disk)");
                        }
                    }
                }
                return n;
            }
        };
    }

    /** The refusal a failure to store an upload stands for, when it is the disk filling up; else null. */
    static Refused diskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Refused r) {
                return r;
            }
            String m = t.getMessage();
            // ENOSPC and EDQUOT, as the JDK words them (strerror)
            if (t instanceof IOException && m != null && (m.contains("No space left on device")
                    || m.contains("Disk quota exceeded"))) {
                return new Refused(Refusal.DISK_FULL, "not enough disk space: the data directory's disk filled up "
                        + "while the upload was stored");
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** Writes a (guarded) stream to a new file under tmp/. */
    Path spool(InputStream in) throws IOException {
        Path tmp = Files.createFile(dir.newTmpFile(), Private.file());
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(tmp)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            Refused full = diskFull(e);
            throw full != null ? full : e;
        } catch (RuntimeException e) {
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
                return Result.rejected(name, new Refused(Refusal.NOT_A_CAPTURE, name + " is not a capture: "
                        + dir.relative(e.getMessage())));
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
                    return Result.rejected(name, queueFull());  // filled since the precheck
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
                return new Result(name, id, false, State.QUEUED, null, null);
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
        return new Result(upload.fileName(), a.id(), true, state, null, null);
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
