package dev.tcpautopsy.spark;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * What an executor does with its series: fetches each piece onto its local disk (unless it is there
 * already), analyzes the series, adds its {@link CaptureResult} to the job's accumulator and hands
 * on its flows one row at a time, read back from the {@code flows.csv} the analysis wrote. A series
 * that cannot be fetched or analyzed becomes an unreadable capture with the reason, never a failed
 * task.
 */
final class SeriesTask implements FlatMapFunction<Iterator<Series>, Row> {
    private static final long serialVersionUID = 1L;
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();

    private final Broadcast<SerializableConfiguration> conf;
    private final CollectionAccumulator<CaptureResult> results;
    private final Duration idleThreshold;
    private final FlowRows rows;

    SeriesTask(Broadcast<SerializableConfiguration> conf, CollectionAccumulator<CaptureResult> results,
               Duration idleThreshold, FlowRows rows) {
        this.conf = conf;
        this.results = results;
        this.idleThreshold = idleThreshold;
        this.rows = rows;
    }

    @Override
    public Iterator<Row> call(Iterator<Series> series) {
        Rows out = new Rows(series);
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> out.close());
        }
        return out;
    }

    /** The rows of the series one after the other; a series' files are deleted once its rows are read. */
    private final class Rows implements Iterator<Row> {
        private final Iterator<Series> pending;
        private Path work;
        private CSVParser parser;
        private Iterator<CSVRecord> current;
        private LocalDate date;

        Rows(Iterator<Series> pending) {
            this.pending = pending;
        }

        @Override
        public boolean hasNext() {
            while (current == null || !current.hasNext()) {
                close();
                if (!pending.hasNext()) {
                    return false;
                }
                open(pending.next());
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return rows.row(current.next().toList(), date);
        }

        private void open(Series s) {
            try {
                work = Files.createTempDirectory("tcpautopsy-archive-");
            } catch (IOException e) {
                throw new UncheckedIOException("no room for a temporary directory", e);
            }
            long t0 = System.nanoTime();
            Pipeline.Analysis a = analyze(s, work);
            results.add(new CaptureResult(s.index(), a.summary(), a.report(), (System.nanoTime() - t0) / 1e9));
            current = null;
            if (a.csv() == null) {
                return;
            }
            try {
                parser = CSVParser.parse(a.csv(), StandardCharsets.UTF_8, CSV);
                if (!parser.getHeaderNames().equals(rows.columns())) {
                    throw new IllegalStateException("flows.csv has the columns " + parser.getHeaderNames()
                            + ", expected " + rows.columns());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            date = a.summary().date();
            current = parser.iterator();
        }

        void close() {
            current = null;
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException e) {
                    // a file about to be deleted
                }
                parser = null;
            }
            if (work != null) {
                delete(work);
                work = null;
            }
        }
    }

    private Pipeline.Analysis analyze(Series s, Path work) {
        List<Pipeline.LocalPiece> local = new ArrayList<>();
        for (Series.Piece p : s.pieces()) {
            try {
                local.add(new Pipeline.LocalPiece(p.name(), localize(p, work.resolve("in-" + local.size()))));
            } catch (IOException | RuntimeException e) {
                return Pipeline.unreadable(s.name(), p.name() + ": cannot be read: " + oneLine(e));
            }
        }
        try {
            return Pipeline.analyze(local, idleThreshold, work.resolve("out"));
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return Pipeline.unreadable(s.name(), s.name() + ": the analysis failed: " + oneLine(e));
        }
    }

    /** The piece on this machine's disk: where it is for a local file, else a copy in {@code dir}. */
    private Path localize(Series.Piece p, Path dir) throws IOException {
        URI uri = URI.create(p.uri());
        if (uri.getScheme() == null) {
            return Path.of(p.uri());
        }
        if ("file".equals(uri.getScheme())) {
            return Path.of(uri);
        }
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = src.getFileSystem(conf.value().value());
        Files.createDirectories(dir);
        Path dst = dir.resolve(src.getName());
        fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(dst.toUri()), true);
        return dst;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the temporary directory's own cleanup
        }
    }
}
