package dev.tcpautopsy.serve;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A process that holds a work directory as a worker does ({@code HoldLock WORK_DIR}): it locks
 * WORK_DIR.lock, writes a file in WORK_DIR, prints "held", and lets go at the end of its standard
 * input (or after two minutes).
 */
public final class HoldLock {
    private HoldLock() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        try (FileChannel ch = FileChannel.open(DataDir.lockOf(work), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("already held: " + work);
            }
            Files.createDirectories(work);
            Files.writeString(work.resolve("partial-report"), "being written");
            System.out.println("held");
            System.out.flush();
            Thread reader = new Thread(() -> {
                try {
                    System.in.readAllBytes();
                } catch (java.io.IOException ignored) {
                    // gone: let go
                }
            });
            reader.setDaemon(true);
            reader.start();
            reader.join(120_000);
        }
    }
}
