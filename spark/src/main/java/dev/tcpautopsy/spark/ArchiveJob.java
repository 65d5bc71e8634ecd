package dev.tcpautopsy.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code tcpautopsy-archive}: a whole capture archive analyzed on Spark, series by series (a
 * capture, or the pieces of a rotated one), several small ones a task ({@link Tasks}). Writes {@code OUT/flows/} (Parquet, partitioned by the day of
 * each capture's first packet), {@code OUT/summary.json} and {@code OUT/index.html}. Run by
 * spark-submit, or on its own in Spark's local mode on every core of the machine.
 *
 * <p>Exit status: 0 the reports were written (captures that could not be read are listed in them:
 * a cluster manager would run a failed application again, to the same end), 2 usage error, 3 the
 * job or its reports failed.
 */
public final class ArchiveJob {
    static final int OK = 0, USAGE = 2, FAILURE = 3;
    /** The command's default: the archive job has no option for it yet. */
    static final Duration IDLE_THRESHOLD = Duration.ofSeconds(30);
    /** Findings printed after the totals, as {@code analyze} prints them; summary.json has them all. */
    static final int TOP_FINDINGS = 3;

    private ArchiveJob() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != OK) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        JobArgs a;
        try {
            a = JobArgs.parse(args);
        } catch (JobArgs.UsageException e) {
            err.println("tcpautopsy-archive: " + e.getMessage());
            err.println(JobArgs.USAGE);
            return USAGE;
        }
        if (a == null) {
            out.println(JobArgs.USAGE);
            return OK;
        }
        SparkSession spark = session(a.master());
        try {
            return analyze(spark, a, out, err);
        } catch (IOException | RuntimeException e) {
            err.println("tcpautopsy-archive: " + oneLine(e));
            return FAILURE;
        } finally {
            spark.stop();
        }
    }

    /** The exception and its first cause, a line each at most: Spark's own messages run to pages. */
    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
        return root == e ? text : text + " (" + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage()) + ")";
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static SparkSession session(String master) {
        SparkConf conf = new SparkConf().setAppName("tcpautopsy-archive");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            // nothing of a run on one machine listens beyond it
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.sql.session.timeZone", "UTC");
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private static int analyze(SparkSession spark, JobArgs a, PrintStream out, PrintStream err) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        Archive.Listing listing = Archive.list(a.inputs(), hadoop);
        listing.empty().forEach(e -> err.println("tcpautopsy-archive: no capture found under " + e));
        List<Series> series = Series.group(listing.files(), a.grouping());
        if (series.isEmpty()) {
            err.println("tcpautopsy-archive: nothing to analyze");
            return USAGE;
        }
        err.printf("tcpautopsy-archive: %d capture%s (%d file%s) on %s; Spark UI: %s%n", series.size(),
                series.size() == 1 ? "" : "s", listing.files().size(), listing.files().size() == 1 ? "" : "s",
                sc.master(), sc.sc().uiWebUrl().getOrElse(() -> "off"));

        CollectionAccumulator<CaptureResult> results = sc.sc().collectionAccumulator("tcpautopsy captures");
        sc.sc().addSparkListener(new FinishedCaptures(results.id(), series.size(), err));
        FlowRows rows = new FlowRows(Pipeline.columns());
        List<List<Series>> packed = Tasks.pack(series, sc.defaultParallelism());
        JavaRDD<Series> tasks = sc.parallelize(packed, packed.size())
                .flatMap((FlatMapFunction<List<Series>, Series>) List::iterator);
        JavaRDD<Row> flows = tasks.mapPartitions(new SeriesTask(
                sc.broadcast(new SerializableConfiguration(hadoop)), results, IDLE_THRESHOLD, rows));
        Path outDir = new Path(a.out());
        String flowsDir = new Path(outDir, "flows").toString();
        sc.setJobDescription("analyze " + series.size() + " captures, write " + flowsDir);
        spark.createDataFrame(flows, rows.schema()).write().mode(SaveMode.Overwrite)
                .partitionBy(FlowRows.DATE).parquet(flowsDir);

        Map<Integer, CaptureResult> byIndex = new TreeMap<>();
        for (CaptureResult r : results.value()) {
            byIndex.put(r.index(), r);
        }
        if (byIndex.size() != series.size()) {
            throw new IllegalStateException(series.size() - byIndex.size() + " captures have no result");
        }
        List<CaptureSummary> captures = byIndex.values().stream().map(CaptureResult::summary).toList();
        String version = captures.stream().map(CaptureSummary::toolVersion).filter(v -> v != null).findFirst()
                .orElse("dev");
        Pipeline.Batch batch = Pipeline.batch(byIndex.values().stream().map(CaptureResult::report).toList(), version,
                IDLE_THRESHOLD, a.inputs());
        Pipeline.Totals totals = Pipeline.totals(batch);
        Dataset<Row> written = totals.connections() == 0 ? null : spark.read().parquet(flowsDir);
        sc.setJobDescription("rank hosts and ports");
        SummaryJson.Contents summary = new SummaryJson.Contents(version,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), a.inputs(), a.series(), Pipeline.threshold(IDLE_THRESHOLD), totals,
                written == null ? List.of() : WorstEndpoints.hosts(written, Pipeline.abnormalClasses(), Pipeline.classes()),
                written == null ? List.of() : WorstEndpoints.ports(written, Pipeline.abnormalClasses(), Pipeline.classes()),
                captures, Pipeline.findings(batch));

        FileSystem fs = outDir.getFileSystem(hadoop);
        try (OutputStream o = fs.create(new Path(outDir, SummaryJson.FILE), true)) {
            SummaryJson.write(summary, o);
        }
        Pipeline.writeOverview(batch, name -> fs.create(new Path(outDir, name), true));

        for (CaptureSummary c : captures) {
            if (c.error() != null) {
                err.println("tcpautopsy-archive: " + c.error());
            }
        }
        out.printf("%d capture%s, %d connection%s, %d abnormal ending%s%n", totals.captures(),
                totals.captures() == 1 ? "" : "s", totals.connections(), totals.connections() == 1 ? "" : "s",
                totals.abnormal(), totals.abnormal() == 1 ? "" : "s");
        Pipeline.whatWentWrong(batch, TOP_FINDINGS).forEach(out::println);
        for (String f : List.of("flows/", SummaryJson.FILE, Pipeline.OVERVIEW)) {
            out.println("  " + new Path(outDir, f));
        }
        return OK;
    }
}
