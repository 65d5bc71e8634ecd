package dev.tcpautopsy.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The Parquet row of a flow: the columns of {@code flows.csv} in their order, each typed (counts and
 * frame numbers as longs, ports and TTLs as ints, times as timestamps, exact decimals for the
 * durations, lists as arrays, an empty array where the CSV has none), then {@code capture_date}, the day of the capture's first packet, which
 * partitions the table. A column the CSV gains later comes along as a string until it is given a type
 * here. An empty cell is {@code null}.
 */
final class FlowRows implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String DATE = "capture_date";

    /** How a CSV cell becomes a typed value. */
    enum Kind {
        STRING(DataTypes.StringType), LONG(DataTypes.LongType), INT(DataTypes.IntegerType),
        BOOLEAN(DataTypes.BooleanType), TIMESTAMP(DataTypes.TimestampType),
        SECONDS_9(DataTypes.createDecimalType(38, 9)), SECONDS_6(DataTypes.createDecimalType(38, 6)),
        MILLIS_3(DataTypes.createDecimalType(38, 3)),
        STRINGS(DataTypes.createArrayType(DataTypes.StringType, false)),
        LONGS(DataTypes.createArrayType(DataTypes.LongType, false));

        final DataType type;

        Kind(DataType type) {
            this.type = type;
        }
    }

    private final List<String> columns;
    private final Kind[] kinds;

    FlowRows(List<String> columns) {
        this.columns = List.copyOf(columns);
        kinds = columns.stream().map(FlowRows::kindOf).toArray(Kind[]::new);
    }

    List<String> columns() {
        return columns;
    }

    static Kind kindOf(String column) {
        return switch (column) {
            case "stream", "first_frame", "last_frame", "client_packets", "client_bytes", "server_packets",
                    "server_bytes", "client_retransmissions", "server_retransmissions" -> Kind.LONG;
            case "client_port", "server_port", "client_ttl", "server_ttl" -> Kind.INT;
            case "handshake_seen", "half_closed", "unanswered_request" -> Kind.BOOLEAN;
            case "start", "end" -> Kind.TIMESTAMP;
            case "duration_s" -> Kind.SECONDS_9;
            case "longest_idle_s" -> Kind.SECONDS_6;
            case "handshake_rtt_ms" -> Kind.MILLIS_3;
            case "tags" -> Kind.STRINGS;
            case "evidence_frames" -> Kind.LONGS;
            default -> Kind.STRING;
        };
    }

    StructType schema() {
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            fields.add(DataTypes.createStructField(columns.get(i), kinds[i].type, true));
        }
        fields.add(DataTypes.createStructField(DATE, DataTypes.DateType, true));
        return DataTypes.createStructType(fields);
    }

    /** The row of one CSV record ({@code cells} in column order) of a capture whose first packet was on {@code date}. */
    Row row(List<String> cells, LocalDate date) {
        if (cells.size() != kinds.length) {
            throw new IllegalStateException("flows.csv row of " + cells.size() + " cells, expected " + kinds.length);
        }
        Object[] values = new Object[kinds.length + 1];
        for (int i = 0; i < kinds.length; i++) {
            values[i] = value(kinds[i], cells.get(i));
        }
        values[kinds.length] = date;
        return RowFactory.create(values);
    }

    static Object value(Kind kind, String cell) {
        if (cell == null || cell.isEmpty()) {
            return kind == Kind.STRINGS ? new String[0] : kind == Kind.LONGS ? new Long[0] : null;
        }
        return switch (kind) {
            case STRING -> cell;
            case LONG -> Long.parseLong(cell);
            case INT -> Integer.parseInt(cell);
            case BOOLEAN -> Boolean.parseBoolean(cell);
            case TIMESTAMP -> Instant.parse(cell);
            case SECONDS_9 -> new BigDecimal(cell).setScale(9);
            case SECONDS_6 -> new BigDecimal(cell).setScale(6);
            case MILLIS_3 -> new BigDecimal(cell).setScale(3);
            case STRINGS -> cell.split(";");
            case LONGS -> java.util.Arrays.stream(cell.split(";")).map(Long::valueOf).toArray(Long[]::new);
        };
    }
}
