package dev.tcpautopsy.serve;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data directory holds other people's captures: its directories are 0700 and its files 0600
 * whatever the umask, set as each is made (Java cannot change the umask). On a file system without
 * POSIX permissions nothing is done.
 */
final class Private {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private Private() {
    }

    /** The attributes that create a file 0600, for Files.createFile and FileChannel.open. */
    static FileAttribute<?>[] file() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Makes an existing file or directory private (a symbolic link is left as it is). */
    static void make(Path p) throws IOException {
        if (!POSIX || Files.isSymbolicLink(p)) {
            return;
        }
        Files.setPosixFilePermissions(p, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? DIR : FILE);
    }

    /** Makes a directory and everything under it private: reports a worker wrote under its own umask. */
    static void tree(Path root) throws IOException {
        if (!POSIX) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                make(p);
            }
        }
    }

    /** The regular files right in {@code dir}: what an embedded database made there. */
    static void files(Path dir) throws IOException {
        if (!POSIX) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                make(p);
            }
        }
    }
}
