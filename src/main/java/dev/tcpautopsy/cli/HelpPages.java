package dev.tcpautopsy.cli;

import dev.tcpautopsy.model.Glossary;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The man-page parts of {@code tcpautopsy help analyze} that come from the glossary: what each class,
 * {@code by} value, tag and appView value means, so that the terminal explains the report's words
 * without another document; and where the rest is (docs/reference.md).
 */
final class HelpPages {
    private HelpPages() {
    }

    /** Adds the glossary's sections to {@code analyze}'s help, before its examples. */
    static void addTo(CommandLine analyze) {
        List<String> keys = new ArrayList<>(analyze.getHelpSectionKeys());
        int at = keys.indexOf(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING);
        List<String> added = new ArrayList<>();
        section(analyze, added, "classes", "%nHow connections end (termination.class; the first that fits wins):%n", "class");
        section(analyze, added, "by", "%nWho ended them (termination.by):%n", "by");
        section(analyze, added, "tags", "%nTags (termination.tags):%n", "tag");
        section(analyze, added, "appView", "%nWhat the applications saw (termination.appView, CSV app_client/app_server):%n",
                "appView");
        analyze.getHelpSectionMap().put("environment", help -> help.createHeading("%nEnvironment (bin/tcpautopsy):%n")
                + "  JAVA_HOME   the Java 17+ installation to run (else java on the PATH)\n"
                + "  JAVA_OPTS   more JVM options, e.g. -Xmx8g for a capture of many million connections\n");
        added.add("environment");
        analyze.getHelpSectionMap().put("seeAlso", help -> help.createHeading("%nSee also:%n")
                + "  docs/reference.md   every class, tag, by and appView value, history letter, JSON field and CSV\n"
                + "                      column, with what it means on the wire, its typical cause and a sample capture\n"
                + "  tcpautopsy help show, tcpautopsy help compare, tcpautopsy help serve\n");
        added.add("seeAlso");
        keys.addAll(at < 0 ? keys.size() : at, added);
        analyze.setHelpSectionKeys(keys);
    }

    /** A section listing the names of one kind with their one-line text; the glossary is read only to print it. */
    private static void section(CommandLine cmd, List<String> added, String key, String heading, String kind) {
        cmd.getHelpSectionMap().put(key, help -> {
            Glossary g = Glossary.standard();
            StringBuilder b = new StringBuilder(help.createHeading(heading));
            int width = help.commandSpec().usageMessage().width();
            for (Glossary.Entry e : g.entries(kind)) {
                b.append(wrapped(e.name(), e.get("short"), width));
            }
            return b.toString();
        });
        added.add(key);
    }

    /** {@code "  NAME  text..."}, the text wrapped at {@code width} under its own column. */
    static String wrapped(String name, String text, int width) {
        int column = NAME_COLUMN;
        StringBuilder b = new StringBuilder("  ").append(name);
        if (name.length() + 3 > column) {
            b.append(System.lineSeparator());
            b.append(" ".repeat(column));
        } else {
            b.append(" ".repeat(column - 2 - name.length()));
        }
        int line = column;
        for (String word : text.split(" ")) {
            if (line > column && line + 1 + word.length() > width) {
                b.append(System.lineSeparator()).append(" ".repeat(column));
                line = column;
            } else if (line > column) {
                b.append(' ');
                line++;
            }
            b.append(word);
            line += word.length();
        }
        return b.append(System.lineSeparator()).toString();
    }

    private static final int NAME_COLUMN = 22;
}
