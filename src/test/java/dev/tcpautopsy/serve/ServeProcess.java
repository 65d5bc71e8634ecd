package dev.tcpautopsy.serve;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The service in a process of its own, for tests that kill it: {@code ServeProcess DATA} serves
 * DATA with one {@link MisbehavingWorker}, prints "PORT PID" on its first line, and ends after
 * five minutes if nobody killed it first.
 */
public final class ServeProcess {
    private ServeProcess() {
    }

    public static void main(String[] args) throws Exception {
        ServeSettings s = ServeHarness.settings(Path.of(args[0])).withWorkers(1, Duration.ofMinutes(5),
                ServeHarness.MISBEHAVING);
        try (Service service = Service.start(s, line -> { })) {
            System.out.println(service.port() + " " + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }
    }

    /** This JVM's java with the test class path and {@code main}, for a ProcessBuilder. */
    static java.util.List<String> java(Class<?> main, String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(java.util.List.of(args));
        return cmd;
    }

    /** Whether a process is gone: no longer there, or a zombie (dead, not reaped). */
    static boolean dead(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
