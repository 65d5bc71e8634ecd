package dev.tcpautopsy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tcpautopsy serve}'s command line: what it refuses before starting anything. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    private static CliHarness run(String... args) {
        return new CliHarness(() -> {
            throw new AssertionError("serve never analyzes in-process");
        }).run(args);
    }

    @Test
    void exposingNeedsItsOwnFlag() {
        CliHarness h = run("serve", "--bind", "0.0.0.0", "--port", "0");
        assertEquals(ExitCodes.USAGE, h.exit);
        assertTrue(h.err.toString().startsWith("tcpautopsy: --bind 0.0.0.0 is not a loopback address: add --expose"),
                h.err.toString());
    }

    @Test
    void aNameThatMerelyStartsLikeLoopbackIsNotLoopback() {
        CliHarness h = run("serve", "--bind", "127.evil.example", "--port", "0");
        assertEquals(ExitCodes.USAGE, h.exit);
        assertTrue(h.err.toString().startsWith("tcpautopsy: --bind 127.evil.example is not a loopback address"),
                h.err.toString());
    }

    @Test
    void limitsAreCheckedAsTyped() {
        CliHarness size = run("serve", "--max-upload", "2 lightyears");
        assertEquals(ExitCodes.USAGE, size.exit);
        assertTrue(size.err.toString().contains("is not a size"), size.err.toString());
        CliHarness heap = run("serve", "--worker-heap", "lots");
        assertEquals(ExitCodes.USAGE, heap.exit);
        assertTrue(heap.err.toString().contains("--worker-heap lots is not a heap size"), heap.err.toString());
        CliHarness workers = run("serve", "--workers", "0");
        assertEquals(ExitCodes.USAGE, workers.exit);
        CliHarness timeout = run("serve", "--analysis-timeout", "-5s");
        assertEquals(ExitCodes.USAGE, timeout.exit);
    }

    @Test
    void sizesAreBinaryWithOrWithoutAnI() {
        ServeCommand.SizeConverter c = new ServeCommand.SizeConverter();
        assertEquals(2L << 30, c.convert("2GiB"));
        assertEquals(500L << 20, c.convert("500MB"));
        assertEquals(3L << 29, c.convert("1.5g"));
        assertEquals(65_536L, c.convert("65536"));
        assertEquals(1L << 40, c.convert(" 1 TiB "));
        assertTrue(assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("2 GB/s"))
                .getMessage().contains("'2 GB/s' is not a size"));
    }

    @Test
    void aDataDirectoryThatCannotBeUsedIsOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        CliHarness h = run("serve", "--port", "0", "--data", file.toString());
        assertEquals(ExitCodes.FAILURE, h.exit);
        assertTrue(h.err.toString().startsWith("tcpautopsy serve: cannot start: the data directory " + file
                + " is not a directory"), h.err.toString());
        assertEquals(1, h.err.toString().lines().count(), h.err.toString());
    }

    @Test
    void theTokenComesFromAFileThatTheProcessListDoesNotShow() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "  s3cret-from-a-file  \nsecond line\n");
        picocli.CommandLine cl = new picocli.CommandLine(new ServeCommand());
        cl.parseArgs("--token-file", file.toString());
        assertEquals("s3cret-from-a-file", ((ServeCommand) cl.getCommand()).settings().token());

        CliHarness empty = run("serve", "--port", "0", "--token-file", Files.writeString(tmp.resolve("empty"), "\n").toString());
        assertEquals(ExitCodes.USAGE, empty.exit);
        assertTrue(empty.err.toString().contains("is empty"), empty.err.toString());
        CliHarness missing = run("serve", "--port", "0", "--token-file", tmp.resolve("nope").toString());
        assertEquals(ExitCodes.USAGE, missing.exit);
        assertTrue(missing.err.toString().contains("cannot read it (NoSuchFileException)"), missing.err.toString());
        CliHarness both = run("serve", "--port", "0", "--token-file", file.toString(), "--token", "x");
        assertEquals(ExitCodes.USAGE, both.exit);
        assertTrue(both.err.toString().contains("not both"), both.err.toString());
    }

    @Test
    void aTokenOnTheCommandLineIsWarnedAbout() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        CliHarness h = run("serve", "--port", "0", "--token", "visible", "--data", file.toString());
        assertTrue(h.err.toString().startsWith("tcpautopsy serve: warning: --token shows the token to every user"),
                h.err.toString());
    }
}
