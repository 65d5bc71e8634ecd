package dev.tcpautopsy.serve;

import dev.tcpautopsy.model.Units;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Takes uploads in, held to the service's limits while they stream, and answers with an {@link
 * Admission}. Each file is on disk under tmp/ when it is taken: {@link Checked} to be a capture,
 * hashed, and either attached to the analysis of the same content or moved under captures/ with a
 * generated name (a pair's files into a directory of their own) and queued.
 */
final class Intake {
    /**
     * An upload refused as a whole, before or while its body is read. An IOException, so that the
     * guarded body stream can throw it through Jetty's multipart parser.
     */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        final Admission why;

        Refused(Admission why, String message) {
            super(message);
            this.why = why;
        }
    }

    /**
     * One file's or pair's outcome: the analysis it went to and its state, or, refused, a one-line reason.
     */
    record Result(String file, String id, Admission admission, State state, String error) {
        static Result rejected(String file, Refused r) {
            return new Result(file, null, r.why, null, r.getMessage());
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
            throw new Refused(Admission.NO_SPACE, "not enough disk space" + (contentLength > 0 ? " for an upload of "
                    + Units.size(contentLength) : "") + ": " + Units.size(free) + " is free on the data directory's "
                    + "disk and " + Units.size(settings.minFreeBytes()) + " must stay free (--min-free-disk)");
        }
    }

    Refused tooLarge(long size) {
        return new Refused(Admission.TOO_LARGE, "upload too large: " + (size > 0 ? Units.size(size) + ", " : "")
                + "more than the limit of " + Units.size(settings.maxUploadBytes()) + " (--max-upload)");
    }

    Refused queueFull() {
        return new Refused(Admission.QUEUE_FULL, "too many analyses waiting: " + settings.maxQueued()
                + " are queued, the limit (--max-queued); try again when some have finished");
    }

    /**
     * The request body as it is read, held to the limits: past {@code --max-upload} it throws, and
     * when less than {@code --min-free-disk} is left on the disk (read again every
     * {@link #SPACE_CHECK_EVERY} bytes), it throws too, so a body of unannounced length is held to
     * the same floor as one whose length was checked before it started.
     */
    InputStream guard(InputStream body) {
        return new GuardedBody(body, this);
    }

    /** Throws when {@code total} bytes of a body have passed a limit; {@code free}: the disk's free space then, or -1. */
    void check(long total, long free) throws Refused {
        if (total > settings.maxUploadBytes()) {
            throw tooLarge(-1);
        }
        if (free >= 0 && free < settings.minFreeBytes()) {
            throw new Refused(Admission.NO_SPACE, "not enough disk space: the upload was stopped after "
                    + Units.size(total) + ", with " + Units.size(free) + " free on the data "
                    + "directory's disk where " + Units.size(settings.minFreeBytes())
                    + " must stay free (--min-free-disk)");
        }
    }

    long usableSpace() throws IOException {
        return dir.usableSpace();
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
                return new Refused(Admission.NO_SPACE, "not enough disk space: the data directory's disk filled up "
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

    /** One file of an upload as it arrived: spooled under tmp/, with the client's name for it. */
    record Spooled(Path file, String name) {
    }

    /**
     * Takes one file that was written to {@code tmp} (which this method moves or deletes).
     *
     * @param fileName the client's name for it: kept for display and search only
     */
    Result accept(Path tmp, String fileName, String note, String ticket) throws IOException, SQLException {
        String name = SafeText.clean(fileName, 255, "capture");
        try {
            Checked c;
            try {
                c = Checked.of(tmp, name, name, dir);
            } catch (Refused r) {
                return Result.rejected(name, r);
            }
            return admit(name, c.sha256(), c.bytes(), c.kind(), upload(name, note, ticket),
                    id -> Files.move(tmp, dir.capture(id), StandardCopyOption.ATOMIC_MOVE), List.of());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Takes two sets of files, the same traffic captured at two points, as one pair to compare (which this
     * method moves or deletes): refused as a whole when any of them is not a capture.
     */
    Result acceptPair(List<Spooled> a, List<Spooled> b, String note, String ticket) throws IOException, SQLException {
        String name = SafeText.clean(String.join(", ", a.stream().map(Spooled::name).toList()) + " vs "
                + String.join(", ", b.stream().map(Spooled::name).toList()), 255, IndexEntry.PAIR);
        try {
            List<PairFile> files = new ArrayList<>();
            List<Path> stored = new ArrayList<>();
            for (String side : List.of(PairFile.A, PairFile.B)) {
                List<Spooled> point = side.equals(PairFile.A) ? a : b;
                for (int i = 0; i < point.size(); i++) {
                    String fileName = SafeText.clean(point.get(i).name(), 255, "capture");
                    Checked c;
                    try {
                        c = Checked.of(point.get(i).file(), fileName, fileName + " (point "
                                + side.toUpperCase(Locale.ROOT) + ")", dir);
                    } catch (Refused r) {
                        return Result.rejected(name, r);
                    }
                    files.add(new PairFile(side, i + 1, fileName, c.bytes(), c.kind(), c.sha256()));
                    stored.add(c.file());
                }
            }
            long bytes = files.stream().mapToLong(PairFile::bytes).sum();
            return admit(name, pairDigest(files), bytes, IndexEntry.PAIR, upload(name, note, ticket), id -> {
                Private.make(Files.createDirectories(dir.capture(id)));
                for (int i = 0; i < files.size(); i++) {
                    Files.move(stored.get(i), dir.pairFile(id, files.get(i)), StandardCopyOption.ATOMIC_MOVE);
                }
            }, files);
        } finally {
            for (Spooled s : a) {
                Files.deleteIfExists(s.file());
            }
            for (Spooled s : b) {
                Files.deleteIfExists(s.file());
            }
        }
    }

    /**
     * A pair's content in one digest: each file's in order, with its point and place. The same captures
     * uploaded again as the same pair are the same pair; in another order, or the points swapped, another.
     */
    static String pairDigest(List<PairFile> files) {
        MessageDigest md = Checked.digest();
        md.update("pair\n".getBytes(StandardCharsets.US_ASCII));
        for (PairFile f : files) {
            md.update((f.stored() + " " + f.sha256() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Moves an admitted upload's files to where analysis {@code id} keeps them. */
    @FunctionalInterface
    private interface Store {
        void into(String id) throws IOException;
    }

    /**
     * Adds an upload to the analysis of the same content, or, room in the queue permitting, stores its
     * files and queues a new analysis.
     */
    private Result admit(String name, String sha, long bytes, String kind, Upload upload, Store store,
                         List<PairFile> files) throws IOException, SQLException {
        synchronized (admit) {
            Optional<IndexEntry> existing = index.findBySha(sha);
            if (existing.isPresent()) {
                return attach(existing.get(), upload);
            }
            if (index.countQueued() >= settings.maxQueued()) {
                return Result.rejected(name, queueFull());  // filled since the precheck
            }
            String id = DataDir.newId();
            try {
                store.into(id);
                index.insert(IndexEntry.queued(id, sha, bytes, kind, upload.created()), withAnalysis(upload, id), files);
            } catch (IOException | SQLException | RuntimeException e) {
                dir.deleteCapture(id);
                throw e;
            }
            pool.submit(id);
            return new Result(name, id, Admission.ACCEPTED, State.QUEUED, null);
        }
    }

    private Upload upload(String name, String note, String ticket) {
        return new Upload(DataDir.newId(), null, name, SafeText.clean(note, 2000, null), SafeText.clean(ticket, 200, null),
                clock.millis());
    }

    private Result attach(IndexEntry a, Upload upload) throws SQLException {
        index.addUpload(withAnalysis(upload, a.id()));
        State state = a.state();
        if (state == State.FAILED && index.retry(a.id())) {
            // the same capture again after a failure: worth another try (the failure may have been a restart)
            pool.submit(a.id());
            state = State.QUEUED;
        }
        return new Result(upload.fileName(), a.id(), Admission.DUPLICATE, state, null);
    }

    private static Upload withAnalysis(Upload u, String id) {
        return new Upload(u.id(), id, u.fileName(), u.note(), u.ticket(), u.created());
    }
}
