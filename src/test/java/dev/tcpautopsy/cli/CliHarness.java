package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.AnalysisOptions;
import dev.tcpautopsy.analysis.AnalysisResult;
import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.model.AnalysisReport;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs the command line in-process with a fixed model and captured streams. */
final class CliHarness {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final ByteArrayOutputStream rawOut = new ByteArrayOutputStream();
    final List<AnalysisOptions> options = new ArrayList<>();
    final List<List<Input>> inputs = new ArrayList<>();
    int exit = -1;

    private final Supplier<AnalysisReport> model;

    CliHarness(Supplier<AnalysisReport> model) {
        this.model = model;
    }

    CliHarness run(String... args) {
        Engine engine = (o, in, progress) -> {
            options.add(o);
            inputs.add(in);
            return AnalysisResult.of(model.get());
        };
        CommandLine cmd = TcpAutopsy.commandLine(new Environment(engine, rawOut, false));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        exit = cmd.execute(args);
        return this;
    }

    String stdout() {
        return out + rawOut.toString(StandardCharsets.UTF_8);
    }
}
