package dev.tcpautopsy.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The hosts (either end) and server ports with the most abnormal endings across the archive, counted
 * from every flow: a capture's report ranks its own hosts only, and ranked lists do not add up. The
 * counts per key and class are added up in each task before the shuffle, so what crosses the network
 * is one small row per (key, class) and task.
 */
final class WorstEndpoints {
    /** As many as a capture's report ranks. */
    static final int HOW_MANY = 20;

    private WorstEndpoints() {
    }

    static List<CaptureSummary.Ranked> hosts(Dataset<Row> flows, Set<String> abnormal, List<String> classes) {
        return worst(flows.select(explode(array_distinct(array(col("client_ip"), col("server_ip")))).as("key"),
                col("class")), abnormal, classes);
    }

    static List<CaptureSummary.Ranked> ports(Dataset<Row> flows, Set<String> abnormal, List<String> classes) {
        return worst(flows.select(col("server_port").cast("string").as("key"), col("class")), abnormal, classes);
    }

    private static List<CaptureSummary.Ranked> worst(Dataset<Row> keyed, Set<String> abnormal, List<String> classes) {
        Column bad = when(col("class").isin(abnormal.toArray()), col("n")).otherwise(lit(0L));
        List<Row> top = keyed.where(col("key").isNotNull())
                .groupBy("key", "class").count().withColumnRenamed("count", "n")
                .groupBy("key").agg(sum("n").as("flows"), sum(bad).as("abnormal"),
                        collect_list(struct(col("class"), col("n"))).as("byClass"))
                .where(col("abnormal").gt(0))
                .orderBy(col("abnormal").desc(), col("flows").desc(), col("key").asc())
                .limit(HOW_MANY).collectAsList();
        List<CaptureSummary.Ranked> out = new ArrayList<>();
        for (Row r : top) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Row c : r.<Row>getList(3)) {
                counts.put(c.getString(0), c.getLong(1));
            }
            Map<String, Long> byClass = new LinkedHashMap<>();
            for (String c : classes) {
                if (counts.containsKey(c)) {
                    byClass.put(c, counts.get(c));
                }
            }
            out.add(new CaptureSummary.Ranked(r.getString(0), r.getLong(1), r.getLong(2), byClass));
        }
        return out;
    }
}
