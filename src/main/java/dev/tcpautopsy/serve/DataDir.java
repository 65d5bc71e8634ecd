package dev.tcpautopsy.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The data directory's layout. Every path here is built from generated identifiers only: names
 * from uploads never reach the file system.
 * <pre>
 *   lock               held by the running service
 *   instance           this directory's identity in the index (its analyses are marked with it)
 *   index.mv.db        the embedded index (H2), unless a JDBC URL points elsewhere
 *   captures/ID        each capture as uploaded; a pair's files as captures/ID/a1, a2, …, b1, …
 *   reports/ID/        its reports (index.html, flows.csv, report.json, summary.md) and facts.json
 *   work/ID/           an analysis being written; moved to reports/ when it is done
 *   tmp/               uploads in flight, multipart buffers, the workers' spilled flow sets
 *   logs/              the worker processes' standard error
 * </pre>
 */
final class DataDir {
    /** Identifiers: 20 characters of lower-case base 32, 100 random bits. */
    private static final Pattern ID = Pattern.compile("[a-z2-7]{20}");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private FileChannel lockFile;
    private FileLock lock;

    DataDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * Takes the directory for this service (a lock file: two services on one directory would
     * delete each other's work in flight), creates the directories and empties the ones that only
     * hold work in flight.
     */
    void open() throws IOException {
        try {
            Files.createDirectories(root);
            Private.make(root);
            lockFile = FileChannel.open(root.resolve("lock"), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    Private.file());
            try {
                lock = lockFile.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                // held by this very JVM (a second service in one process): closing this channel would
                // drop the holder's lock too (POSIX locks are per process), so it is left open
                lockFile = null;
                throw new IOException("the data directory " + root + " is in use by another tcpautopsy serve");
            }
            if (lock == null) {
                lockFile.close();
                throw new IOException("the data directory " + root + " is in use by another tcpautopsy serve");
            }
            for (Path p : new Path[] {captures(), reports(), work(), tmp(), logs()}) {
                Files.createDirectories(p);
                Private.make(p);
            }
            deleteUnheldWork();
            deleteContents(tmp());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IOException("the data directory " + root + " is not a directory (" + e.getFile() + " is a file)", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("the data directory " + root + " is not writable (" + e.getFile() + ")", e);
        }
    }

    /** Lets another service have the directory. */
    void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockFile != null) {
                lockFile.close();
            }
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }

    static String newId() {
        char[] c = new char[20];
        for (int i = 0; i < c.length; i++) {
            c[i] = BASE32[RANDOM.nextInt(32)];
        }
        return new String(c);
    }

    /** Whether {@code id} has the shape of a generated identifier (checked before it goes near a path). */
    static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    Path root() {
        return root;
    }

    Path captures() {
        return root.resolve("captures");
    }

    Path reports() {
        return root.resolve("reports");
    }

    Path work() {
        return root.resolve("work");
    }

    Path tmp() {
        return root.resolve("tmp");
    }

    Path logs() {
        return root.resolve("logs");
    }

    Path capture(String id) {
        return captures().resolve(checked(id));
    }

    /** A file of pair {@code id}: {@code captures/ID/a1}. */
    Path pairFile(String id, PairFile f) {
        return capture(id).resolve(f.stored());
    }

    Path report(String id) {
        return reports().resolve(checked(id));
    }

    Path work(String id) {
        return work().resolve(checked(id));
    }

    /** The lock file of a work directory, beside it: {@code work/ID.lock}. */
    static Path lockOf(Path work) {
        return work.resolveSibling(work.getFileName() + ".lock");
    }

    /**
     * Whether a process holds the work directory of {@code id}: a worker of a service that died is
     * still writing there. (This process never holds one: only workers lock them.)
     */
    boolean workHeld(String id) throws IOException {
        try (FileChannel ch = FileChannel.open(lockOf(work(id)), StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true;
        }
    }

    /** Removes the work directory of {@code id} and its lock file (nobody holds them). */
    void deleteWork(String id) throws IOException {
        deleteTree(work(id));
        Files.deleteIfExists(lockOf(work(id)));
    }

    /** Empties work/ at start, but for directories a worker of a previous run still holds. */
    private void deleteUnheldWork() throws IOException {
        try (Stream<Path> s = Files.list(work())) {
            for (Path p : s.toList()) {
                String id = p.getFileName().toString().replaceFirst("\\.lock$", "");
                if (!isId(id) || !workHeld(id)) {
                    deleteTree(p);
                }
            }
        }
    }

    /** A fresh file name under tmp/ for an upload in flight (not created yet). */
    Path newTmpFile() {
        return tmp().resolve("upload-" + newId());
    }

    /** Makes a work directory for {@code id}, empty and private. */
    Path newWork(String id) throws IOException {
        deleteWork(id);
        Path w = Files.createDirectories(work(id));
        Private.make(w);
        return w;
    }

    /** How free space is read: the file store's, unless a test puts a fuller disk in front. */
    interface FreeSpace {
        long usable(Path root) throws IOException;
    }

    volatile FreeSpace freeSpace = r -> Files.getFileStore(r).getUsableSpace();

    long usableSpace() throws IOException {
        return freeSpace.usable(root);
    }

    /**
     * An exception's message fit for a client: paths under this directory made relative to it
     * ({@code reports/ID/flows.csv}), any other absolute path cut to its file name. What clients see
     * names an analysis's files, never where the server keeps them.
     */
    String relative(String message) {
        return SafeText.withoutPaths(message, root);
    }

    /** Replaces reports/ID with work/ID (an analysis that finished). */
    void publish(String id) throws IOException {
        Private.tree(work(id));  // written by the worker, under its umask
        Path target = report(id);
        deleteTree(target);
        Files.move(work(id), target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes everything kept for an analysis. */
    void delete(String id) throws IOException {
        deleteWork(id);
        deleteTree(report(id));
        deleteCapture(id);
    }

    /** Removes the capture of {@code id}, or the files of a pair. */
    void deleteCapture(String id) throws IOException {
        deleteTree(capture(id));
    }

    /** Removes captures and reports that the index does not know (an upload cut short by a crash). */
    int deleteOrphans(Set<String> known) throws IOException {
        int n = 0;
        for (Path dir : new Path[] {captures(), reports()}) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    if (!known.contains(p.getFileName().toString())) {
                        deleteTree(p);
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static String checked(String id) {
        if (!isId(id)) {
            throw new IllegalArgumentException("not an analysis id: " + id);
        }
        return id;
    }

    static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                deleteTree(p);
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException ignored) {
            // removed meanwhile
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
