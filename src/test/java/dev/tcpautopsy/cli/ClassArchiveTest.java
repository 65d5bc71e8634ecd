package dev.tcpautopsy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassArchiveTest {
    @TempDir
    Path tmp;

    private static final Map<String, String> LINUX = Map.of("user.home", "/home/ana", "os.name", "Linux",
            "java.home", "/usr/lib/jvm/17", "java.vm.version", "17.0.15+6");

    @Test
    void theCacheDirectoryFollowsThePlatformsCustom() {
        assertEquals(Optional.of(Path.of("/home/ana/.cache/tcpautopsy")), ClassArchive.directory(Map.of(), LINUX));
        assertEquals(Optional.of(Path.of("/x/cache/tcpautopsy")),
                ClassArchive.directory(Map.of("XDG_CACHE_HOME", "/x/cache"), LINUX));
        assertEquals(Optional.of(Path.of("/home/ana/.cache/tcpautopsy")),
                ClassArchive.directory(Map.of("XDG_CACHE_HOME", "relative"), LINUX), "XDG wants an absolute path");
        assertEquals(Optional.of(Path.of("/opt/c")), ClassArchive.directory(Map.of("TCPAUTOPSY_CACHE", "/opt/c",
                "XDG_CACHE_HOME", "/x/cache"), LINUX));
        assertEquals(Optional.empty(), ClassArchive.directory(Map.of("TCPAUTOPSY_CACHE", "off"), LINUX));
        assertEquals(Optional.of(Path.of("/Users/ana/Library/Caches/tcpautopsy")),
                ClassArchive.directory(Map.of(), Map.of("user.home", "/Users/ana", "os.name", "Mac OS X")));
        assertEquals(Optional.empty(), ClassArchive.directory(Map.of(), Map.of("os.name", "Linux", "user.home", "?")));
    }

    @Test
    void anotherJarOrJvmGetsAnotherArchive() throws IOException {
        Path jar = Files.write(tmp.resolve("a.jar"), new byte[] {1, 2, 3});
        Map<String, String> env = Map.of("TCPAUTOPSY_CACHE", tmp.resolve("cache").toString());
        Path first = ClassArchive.locate(env, LINUX, jar).orElseThrow().file();
        assertEquals(first, ClassArchive.locate(env, LINUX, jar).orElseThrow().file());
        assertTrue(first.getFileName().toString().startsWith(ClassArchive.PREFIX));

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertNotEquals(first, ClassArchive.locate(env, LINUX, jar).orElseThrow().file(), "rebuilt jar");
        Map<String, String> other = new java.util.HashMap<>(LINUX);
        other.put("java.vm.version", "17.0.16+8");
        assertNotEquals(ClassArchive.locate(env, LINUX, jar).orElseThrow().file(),
                ClassArchive.locate(env, other, jar).orElseThrow().file(), "another JVM");
        assertEquals(Optional.empty(), ClassArchive.locate(env, LINUX, tmp.resolve("missing.jar")));
    }

    @Test
    void optionsListTheClassesFirstAndMapTheArchiveThen() throws IOException {
        Path jar = Files.write(tmp.resolve("a.jar"), new byte[] {1});
        ClassArchive a = ClassArchive.locate(Map.of("TCPAUTOPSY_CACHE", tmp.resolve("c").toString()), LINUX, jar)
                .orElseThrow();
        List<String> list = a.options();
        assertTrue(list.containsAll(ClassArchive.QUIET), list.toString());
        assertTrue(list.stream().anyMatch(o -> o.startsWith("-XX:DumpLoadedClassList=" + tmp.resolve("c"))), list.toString());
        assertTrue(list.contains("-D" + ClassArchive.WRITING + "=1"), "the run knows it lists classes for the archive");
        assertTrue(Files.isDirectory(tmp.resolve("c")), "the directory is made before the JVM writes into it");

        // another run's build under way: this one neither lists its classes nor maps anything
        Path marker = Files.writeString(Path.of(a.file() + ClassArchive.BUILDING), "1");
        assertTrue(a.building());
        assertEquals(ClassArchive.QUIET, a.options());
        // a marker left by a build that died long ago does not stop the next one
        Files.setLastModifiedTime(marker, FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1)));
        assertFalse(a.building());
        assertTrue(a.options().stream().anyMatch(o -> o.startsWith("-XX:DumpLoadedClassList=")));

        Files.write(a.file(), new byte[] {0});
        List<String> map = a.options();
        assertTrue(map.contains("-XX:SharedArchiveFile=" + a.file()), map.toString());
        assertTrue(map.stream().noneMatch(o -> o.contains(ClassArchive.WRITING) || o.contains("DumpLoadedClassList")),
                map.toString());
    }

    /** Only the class list of a run that analyzed and rendered makes an archive: not that of {@code --help}. */
    @Test
    void onlyARunThatAnalyzedMakesAnArchive() throws IOException {
        Path list = tmp.resolve("classes.list");
        Files.write(list, List.of("# NOTE: Do not modify this file.", "java/lang/Object id: 0", "picocli/CommandLine",
                "dev/tcpautopsy/cli/TcpAutopsy"));
        assertFalse(ClassArchive.analyzed(list), "help only");
        Files.write(list, List.of("dev/tcpautopsy/analysis/CaptureJob", "dev/tcpautopsy/analysis/CaptureJob$Settings"));
        assertFalse(ClassArchive.analyzed(list), "analyzed, no report rendered (show)");
        Files.write(list, List.of("java/lang/Object id: 0", "dev/tcpautopsy/report/html/HtmlRenderer id: 7",
                "dev/tcpautopsy/analysis/CaptureJob$Settings", "dev/tcpautopsy/analysis/CaptureJob"));
        assertTrue(ClassArchive.analyzed(list));
        assertFalse(ClassArchive.analyzed(tmp.resolve("missing.list")));
    }

    /**
     * The builder dumps a static archive from a run's class list and keeps it once a JVM maps it; the
     * list, the marker and nothing else of the build is left. Classes compiled for Java 5 go in too
     * (Java 17's dynamic archive leaves them out): the JDK's list is enough to show the dump works.
     */
    @Test
    void theArchiveIsBuiltFromTheClassList() throws Exception {
        Path jar = emptyJar();
        Path cache = tmp.resolve("cache");
        ClassArchive a = in(cache, jar);
        String listed = a.options().stream().filter(o -> o.startsWith("-XX:DumpLoadedClassList="))
                .map(o -> o.substring("-XX:DumpLoadedClassList=".length())).findFirst().orElseThrow();
        Process p = new ProcessBuilder(JAVA, "-Xlog:disable", "-XX:DumpLoadedClassList=" + listed, "-cp", jar.toString(),
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(Files.size(Path.of(listed)) > 0);
        Files.writeString(Path.of(a.file() + ClassArchive.BUILDING), "1");

        a.build(Path.of(listed), List.of(JAVA, "-cp", jar.toString()));
        assertTrue(a.ready(), "archive kept");
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(List.of(a.file()), left.toList(), "no class list, marker or pending file left");
        }
        Process mapped = new ProcessBuilder(JAVA, "-Xshare:on", "-XX:SharedArchiveFile=" + a.file(), "-cp",
                jar.toString(), "-version").redirectErrorStream(true).start();
        String out = new String(mapped.getInputStream().readAllBytes());
        assertEquals(0, mapped.waitFor(), out);
    }

    /**
     * The JVM that maps a truncated archive crashes rather than ignoring it: such a file must never
     * take the archive's place. A real archive, written by a JVM, cut in half.
     */
    @Test
    void aDamagedArchiveIsNeverKept() throws Exception {
        Path jar = emptyJar();
        Path cache = tmp.resolve("cache");
        ClassArchive a = in(cache, jar);
        String pending = a.pending().toString();
        Files.createDirectories(cache);
        Path whole = tmp.resolve("whole.jsa");
        Process p = new ProcessBuilder(JAVA, "-Xlog:disable", "-XX:ArchiveClassesAtExit=" + whole, "-cp", jar.toString(),
                "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        byte[] bytes = Files.readAllBytes(whole);

        Files.write(Path.of(pending), Arrays.copyOf(bytes, bytes.length / 2));
        a.keep(List.of(JAVA, "-cp", jar.toString()));
        assertFalse(Files.exists(a.file()), "truncated: refused");
        assertFalse(Files.exists(Path.of(pending)), "and removed");
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(List.of(), left.toList(), "no crash log left behind");
        }

        Files.write(Path.of(pending), bytes);
        a.keep(List.of(JAVA, "-cp", jar.toString()));
        assertTrue(Files.exists(a.file()), "whole: kept");
        assertFalse(Files.exists(Path.of(pending)));
    }

    @Test
    void onlyTheNewestArchivesAreKept() throws Exception {
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache);
        for (int i = 0; i < ClassArchive.KEEP + 2; i++) {
            Path old = Files.write(cache.resolve(ClassArchive.PREFIX + "old" + i + ClassArchive.SUFFIX), new byte[] {1});
            Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Path jar = emptyJar();
        ClassArchive a = in(cache, jar);
        String pending = a.pending().toString();
        Process p = new ProcessBuilder(JAVA, "-Xlog:disable", "-XX:ArchiveClassesAtExit=" + pending, "-cp",
                jar.toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        a.keep(List.of(JAVA, "-cp", jar.toString()));
        try (Stream<Path> left = Files.list(cache)) {
            List<String> names = left.map(x -> x.getFileName().toString()).sorted().toList();
            assertEquals(ClassArchive.KEEP, names.size(), names.toString());
            assertTrue(names.contains(a.file().getFileName().toString()), names.toString());
            assertFalse(names.contains(ClassArchive.PREFIX + "old0" + ClassArchive.SUFFIX), "the oldest went");
        }
    }

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** The archive of {@code jar} in the cache directory {@code cache}. */
    private static ClassArchive in(Path cache, Path jar) {
        return ClassArchive.locate(Map.of("TCPAUTOPSY_CACHE", cache.toString()), LINUX, jar).orElseThrow();
    }

    /** A class path the JVM accepts in an archive: a jar (a directory with files in it is refused). */
    private Path emptyJar() throws IOException {
        Path jar = tmp.resolve("empty.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar),
                new java.util.jar.Manifest())) {
            out.flush();
        }
        return jar;
    }
}
