package dev.tcpautopsy.report.reference;

import dev.tcpautopsy.model.Glossary;
import dev.tcpautopsy.model.Glossary.Entry;

import java.util.List;

/**
 * docs/reference.md: the glossary as one Markdown page, a section a kind of name. Generated, never
 * edited by hand: the text lives in glossary.txt, which the HTML report's legend reads too.
 */
public final class ReferencePage {
    private ReferencePage() {
    }

    /** The page's text; {@code commands} are the command names whose help pages sit in docs/commands/. */
    public static String markdown(Glossary g, List<String> commands) {
        StringBuilder b = new StringBuilder();
        b.append("# tcpautopsy reference\n\n")
                .append("<!-- generated from src/main/resources/dev/tcpautopsy/model/glossary.txt: edit that file, then run\n")
                .append("     mvn -q -o test -Dtest=DocsTest -Dtcpautopsy.docs.update=true -->\n\n")
                .append("Every name that appears in tcpautopsy's reports, with what it means on the wire, its typical cause and\n")
                .append("a capture in `samples/` that shows it (`tcpautopsy analyze SAMPLE`, or `tcpautopsy show SAMPLE --stream N`;\n")
                .append("each sample's `.truth.tsv` says what happened on its sockets). The HTML report's legend and tooltips\n")
                .append("carry the same text.\n\n")
                .append("- [How connections end: `termination.class`](#how-connections-end-terminationclass)\n")
                .append("- [Who ended them: `termination.by`](#who-ended-them-terminationby)\n")
                .append("- [Tags: `termination.tags`](#tags-terminationtags)\n")
                .append("- [What the applications saw: `termination.appView`](#what-the-applications-saw-terminationappview)\n")
                .append("- [History letters: `history`](#history-letters-history)\n")
                .append("- [report.json fields](#reportjson-fields)\n")
                .append("- [flows.csv columns](#flowscsv-columns)\n")
                .append("- [Commands](#commands)\n\n");

        entrySection(b, "How connections end: `termination.class`",
                "Exactly one class a connection; when several fit, the first in this list wins.", g.entries("class"));
        tableSection(b, "Who ended them: `termination.by`", "", "value", g.entries("by"), true);

        entrySection(b, "Tags: `termination.tags`",
                "Patterns worth naming that ride along with the class (a connection may carry several).", g.entries("tag"));
        tableSection(b, "What the applications saw: `termination.appView`",
                "`appView.client` and `appView.server` (CSV `app_client`, `app_server`): the error each application most\n"
                        + "likely got from its socket calls, or the most likely one where the wire cannot decide (the reason says so).",
                "value", g.entries("appView"), true);
        tableSection(b, "History letters: `history`",
                "Zeek-style connection history (CSV `history`): one letter an event, recorded once a direction in the order\n"
                        + "first seen, upper case for the client and lower case for the server.",
                "letter", g.entries("history"), true);
        tableSection(b, "report.json fields",
                "By their path: `[]` is every element of a list, `*` any key (a class name, a protocol, ...). A field whose\n"
                        + "value is unknown, or a list or object with nothing in it, is left out: never `null`, `-1`, `0`, `[]` or `{}`\n"
                        + "standing for \"none\". The contract's own fields are always there: `null` only where the contract allows it\n"
                        + "(`app` and its fields, a finding's `endpoint.port`), `tags`, `evidence` and `findings` lists even when empty.\n"
                        + "Times are ISO-8601 UTC with microseconds, or nanoseconds when the capture has them.",
                "field", g.entries("json"), false);
        tableSection(b, "flows.csv columns",
                "RFC 4180, UTF-8, one row a connection of every capture, header first; columns are only ever appended;\n"
                        + "an empty cell is unknown, lists are joined with `;`.",
                "column", g.entries("csv"), false);

        b.append("## Commands\n\n")
                .append("Each command's complete help, as `tcpautopsy help COMMAND` prints it:\n\n");
        for (String c : commands) {
            b.append("- [`tcpautopsy ").append(c).append("`](commands/").append(c).append(".txt)\n");
        }
        return b.toString();
    }

    private static void item(StringBuilder b, String label, String text) {
        if (!text.isEmpty()) {
            b.append("- **").append(label).append(":** ").append(text).append('\n');
        }
    }

    private static String sample(Entry e) {
        if (e.sample().isEmpty()) {
            String s = e.get("sample");
            return s.startsWith("none") ? s.replaceFirst("^none:?\\s*", "none in samples/: ") : "";
        }
        String options = String.join(" ", e.sampleOptions());
        return "`" + e.sample().get() + "`" + (options.isEmpty() ? "" : " (analyzed with `" + options + "`)");
    }

    /** A heading, an introduction, and a subsection a name: its line, the wire, the cause, the applications, a sample. */
    private static void entrySection(StringBuilder b, String heading, String intro, List<Entry> entries) {
        b.append("## ").append(heading).append("\n\n").append(intro).append("\n\n");
        for (Entry e : entries) {
            b.append("### `").append(e.name()).append("`\n\n").append(e.get("short")).append("\n\n");
            item(b, "On the wire", e.get("wire"));
            item(b, "Typical cause", e.get("cause"));
            item(b, "What the applications saw", e.get("apps"));
            item(b, "Sample", sample(e));
            b.append('\n');
        }
    }

    /** A heading, an introduction (none when empty) and the table of its names. */
    private static void tableSection(StringBuilder b, String heading, String intro, String what, List<Entry> entries,
                                     boolean samples) {
        b.append("## ").append(heading).append("\n\n");
        if (!intro.isEmpty()) {
            b.append(intro).append("\n\n");
        }
        table(b, what, entries, samples);
    }

    /** A table of name and meaning (the short text, then the longer one), with the sample when asked. */
    private static void table(StringBuilder b, String what, List<Entry> entries, boolean samples) {
        b.append("| ").append(what).append(" | meaning |").append(samples ? " sample |\n|---|---|---|\n" : "\n|---|---|\n");
        for (Entry e : entries) {
            String meaning = e.get("short");
            String more = e.get("meaning");
            if (!more.isEmpty()) {
                meaning = meaning.isEmpty() ? more : meaning + " " + more;
            }
            b.append("| `").append(e.name()).append("` | ").append(cell(meaning)).append(" |");
            if (samples) {
                b.append(' ').append(cell(sample(e))).append(" |");
            }
            b.append('\n');
        }
        b.append('\n');
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
