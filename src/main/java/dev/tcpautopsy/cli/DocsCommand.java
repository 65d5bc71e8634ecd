package dev.tcpautopsy.cli;

import dev.tcpautopsy.model.Glossary;
import dev.tcpautopsy.report.reference.ReferencePage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tcpautopsy docs DIR} (hidden): writes the repository's docs/ (reference.md and each command's
 * help in commands/) from the glossary and the commands themselves, so that they cannot disagree.
 */
@Command(name = "docs", hidden = true, description = "Writes docs/reference.md and docs/commands/*.txt.")
final class DocsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Where to write them (the repository's docs/).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        for (Map.Entry<String, String> f : files().entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
        }
        return ExitCodes.OK;
    }

    /** The files of docs/, by their path under it, and their text. */
    static Map<String, String> files() {
        CommandLine root = TcpAutopsy.commandLine();
        List<String> commands = new ArrayList<>();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("commands/tcpautopsy.txt", usage(root));
        for (Map.Entry<String, CommandLine> c : root.getSubcommands().entrySet()) {
            if (c.getValue().getCommandSpec().usageMessage().hidden() || c.getKey().equals("help")) {
                continue;
            }
            commands.add(c.getKey());
            files.put("commands/" + c.getKey() + ".txt", usage(c.getValue()));
        }
        files.put("reference.md", ReferencePage.markdown(Glossary.standard(), commands));
        return files;
    }

    /** A command's help as a terminal of 100 columns shows it (the examples' lines fit). */
    private static String usage(CommandLine cmd) {
        cmd.setUsageHelpWidth(DOC_WIDTH);
        return cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static final int DOC_WIDTH = 100;
}
