package com.mcgateway.client;

import com.google.protobuf.Timestamp;
import com.mcgateway.maxcompute.gateway.v1.ReadInstanceResultRequest;
import com.mcgateway.maxcompute.gateway.v1.ReadInstanceResultResponse;
import com.mcgateway.maxcompute.gateway.v1.ResultColumn;
import com.mcgateway.maxcompute.gateway.v1.ResultMap;
import com.mcgateway.maxcompute.gateway.v1.ResultRow;
import com.mcgateway.maxcompute.gateway.v1.ResultValue;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The rows of an instance's result, read with ReadInstanceResult ({@link
 * McGatewayClient#readInstanceResult(String, String)}): an {@link Iterator} of typed {@link Row}s
 * that is also {@link AutoCloseable} (closing it cancels an unfinished stream at the gateway).
 *
 * <p>The first stream's first message gives {@link #schema()}, {@link #count()} (the rows this
 * reader yields, after offset and limit) and {@link #totalCount()}; they are read when the reader
 * is created. When a stream fails with UNAVAILABLE (a gateway restart, its maximum stream age),
 * ends before its last row, or sends a batch that does not start at the next row, the reader calls
 * again from the next row (offset = next row, limit = the rows still to come) after the jittered
 * backoff of the watch helpers, bounded by the client's deadline: no row is lost or repeated.
 * Other errors are thrown from {@link #hasNext()} as {@link StatusRuntimeException}s.
 *
 * <p>Arrow record batches (format ARROW) are not decoded here (Arrow for Java is not a dependency
 * of this client): call {@code blocking().readInstanceResult} with that format and read {@code
 * ResultSchema.arrow_schema} followed by each batch with an Arrow IPC stream reader.
 */
public final class ResultReader implements Iterator<ResultReader.Row>, Iterable<ResultReader.Row>, AutoCloseable {

  /** One column of a result: its name and MaxCompute type ({@code bigint}, {@code decimal(10,2)}, …). */
  public record Column(String name, String type) {}

  /** Paces the reconnects: waits before the next stream and returns the next backoff. */
  interface Pacer {
    /**
     * Waits before reconnecting after {@code last} ({@code backoff} null: the first reconnect, or
     * the stream delivered rows) and returns the next backoff; throws when the deadline passed.
     */
    Duration pause(Duration backoff, StatusRuntimeException last);
  }

  private final ReadInstanceResultRequest request;
  private final Function<ReadInstanceResultRequest, Iterator<ReadInstanceResultResponse>> open;
  private final Pacer pacer;
  private ReadInstanceResultResponse header;
  private List<Column> columns;
  private Map<String, Integer> index;
  private long position;
  private long end;
  private Iterator<ReadInstanceResultResponse> stream;
  private Context.CancellableContext streamContext;
  private Iterator<ResultRow> batch = Collections.emptyIterator();
  private Duration backoff;
  private boolean delivered;
  private boolean closed;

  ResultReader(
      ReadInstanceResultRequest request,
      Function<ReadInstanceResultRequest, Iterator<ReadInstanceResultResponse>> open,
      Pacer pacer) {
    this.request = request;
    this.open = open;
    this.pacer = pacer;
    while (true) {
      try {
        openStream();
        return;
      } catch (StatusRuntimeException e) {
        retry(e);
      }
    }
  }

  /** The columns of the rows, in order. */
  public List<Column> schema() {
    return columns;
  }

  /** The number of rows this reader yields (after offset and limit). */
  public long count() {
    return header.getSelectedRowCount();
  }

  /** The number of rows of the whole result. */
  public long totalCount() {
    return header.getTotalRowCount();
  }

  /** This reader itself, so it can be used in a for-each loop (once). */
  @Override
  public Iterator<Row> iterator() {
    return this;
  }

  /**
   * Whether another row follows, reading (and resuming) the stream as needed. Throws the {@link
   * StatusRuntimeException} that ended the read.
   */
  @Override
  public boolean hasNext() {
    while (!closed) {
      if (batch.hasNext()) {
        return true;
      }
      if (position >= end) {
        close();
        return false;
      }
      try {
        if (stream == null) {
          openStream();
        }
        receive();
      } catch (StatusRuntimeException e) {
        retry(e);
      }
    }
    return false;
  }

  /** The next row. */
  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more rows");
    }
    return new Row(this, batch.next());
  }

  /** Ends the read, cancelling an unfinished stream at the gateway. Safe to call again. */
  @Override
  public void close() {
    closed = true;
    batch = Collections.emptyIterator();
    closeStream();
  }

  private void closeStream() {
    if (streamContext != null) {
      streamContext.cancel(null);
    }
    stream = null;
    streamContext = null;
  }

  /**
   * Closes the broken stream and pauses before the next one, or throws {@code e} when it is not
   * resumable (or the pause's error when the deadline passed).
   */
  private void retry(StatusRuntimeException e) {
    closeStream();
    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      close();
      throw e;
    }
    try {
      // After a stream that delivered rows the backoff starts afresh.
      backoff = pacer.pause(delivered ? null : backoff, e);
      delivered = false;
    } catch (RuntimeException gaveUp) {
      close();
      throw gaveUp;
    }
  }

  private static StatusRuntimeException broken(String what) {
    return Status.UNAVAILABLE.withDescription("result stream " + what).asRuntimeException();
  }

  /** Starts a stream from the next row and takes its first message, the header. */
  private void openStream() {
    ReadInstanceResultRequest req = request;
    if (header != null) {
      req = request.toBuilder().setOffset(position).setLimit(end - position).build();
    }
    // The call belongs to its own cancellable context, so close() (or a resume) cancels it.
    Context.CancellableContext ctx = Context.current().withCancellation();
    streamContext = ctx;
    Context previous = ctx.attach();
    try {
      stream = open.apply(req);
    } finally {
      ctx.detach(previous);
    }
    if (!stream.hasNext()) {
      throw broken("ended before its header");
    }
    ReadInstanceResultResponse first = stream.next();
    if (header == null) {
      header = first;
      List<Column> cols = new ArrayList<>();
      Map<String, Integer> byName = new HashMap<>();
      for (ResultColumn c : first.getSchema().getColumnsList()) {
        byName.putIfAbsent(c.getName(), cols.size());
        cols.add(new Column(c.getName(), c.getType()));
      }
      columns = Collections.unmodifiableList(cols);
      index = byName;
      position = first.getRowOffset();
      end = first.getRowOffset() + first.getSelectedRowCount();
    } else if (first.getRowOffset() != position) {
      throw broken("resumed at row " + first.getRowOffset() + ", not " + position);
    }
  }

  /** Takes the next batch of the open stream. */
  private void receive() {
    if (!stream.hasNext()) {
      throw broken("ended at row " + position + " of " + end);
    }
    ReadInstanceResultResponse msg = stream.next();
    if (msg.getRowOffset() != position) {
      throw broken("sent row " + msg.getRowOffset() + " where row " + position + " was next");
    }
    List<ResultRow> rows = msg.getRowBatch().getRowsList();
    if (rows.size() != msg.getRowCount()) {
      throw broken("sent " + rows.size() + " rows as a batch of " + msg.getRowCount());
    }
    position += msg.getRowCount();
    batch = rows.iterator();
    delivered = true;
  }

  /**
   * The Java value of one typed value: null for NULL, Long, Double, BigDecimal (exact, from the
   * decimal's text), String, byte[], Boolean, LocalDate, Instant (UTC, with nanoseconds), a List
   * for an array, a Map (in MaxCompute's order) for a map, and a List of the field values for a
   * struct.
   */
  public static Object value(ResultValue v) {
    switch (v.getKindCase()) {
      case KIND_NOT_SET:
      case NULL_VALUE:
        return null;
      case INT64_VALUE:
        return v.getInt64Value();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case DECIMAL_VALUE:
        return new BigDecimal(v.getDecimalValue());
      case STRING_VALUE:
        return v.getStringValue();
      case BYTES_VALUE:
        return v.getBytesValue().toByteArray();
      case BOOL_VALUE:
        return v.getBoolValue();
      case DATE_VALUE:
        return LocalDate.parse(v.getDateValue());
      case TIMESTAMP_VALUE:
        Timestamp ts = v.getTimestampValue();
        return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
      case ARRAY_VALUE:
        return valuesOf(v.getArrayValue().getValuesList());
      case STRUCT_VALUE:
        return valuesOf(v.getStructValue().getValuesList());
      case MAP_VALUE:
        Map<Object, Object> map = new LinkedHashMap<>();
        for (ResultMap.Entry e : v.getMapValue().getEntriesList()) {
          map.put(value(e.getKey()), value(e.getValue()));
        }
        return Collections.unmodifiableMap(map);
      default:
        // A kind added by a newer gateway: the message itself, so nothing is silently lost.
        return v;
    }
  }

  private static List<Object> valuesOf(List<ResultValue> vs) {
    List<Object> out = new ArrayList<>(vs.size());
    for (ResultValue v : vs) {
      out.add(value(v));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * One row of a result, with typed getters by column index and by name. A getter of the wrong
   * type throws {@link ClassCastException}; {@code getLong}, {@code getDouble} and {@code
   * getBoolean} throw {@link NullPointerException} for NULL (ask {@link #isNull(int)} first), the
   * others return null. An unknown name throws {@link IllegalArgumentException}.
   */
  public static final class Row {
    private final ResultReader reader;
    private final ResultRow row;

    Row(ResultReader reader, ResultRow row) {
      this.reader = reader;
      this.row = row;
    }

    /** The columns of the row. */
    public List<Column> columns() {
      return reader.columns;
    }

    /** The generated message of the row. */
    public ResultRow proto() {
      return row;
    }

    /** The number of values. */
    public int size() {
      return row.getValuesCount();
    }

    /** The position of the named column. */
    public int indexOf(String name) {
      Integer i = reader.index.get(name);
      if (i == null) {
        throw new IllegalArgumentException(
            "no column \"" + name + "\"; columns: " + reader.columns.stream().map(Column::name).toList());
      }
      return i;
    }

    /** The value at {@code i} as its Java type (see {@link ResultReader#value}). */
    public Object get(int i) {
      return value(row.getValues(i));
    }

    /** The named column's value as its Java type. */
    public Object get(String name) {
      return get(indexOf(name));
    }

    /** Every value, in column order. */
    public List<Object> values() {
      return valuesOf(row.getValuesList());
    }

    /** Whether the value at {@code i} is NULL. */
    public boolean isNull(int i) {
      ResultValue.KindCase k = row.getValues(i).getKindCase();
      return k == ResultValue.KindCase.NULL_VALUE || k == ResultValue.KindCase.KIND_NOT_SET;
    }

    /** Whether the named column is NULL. */
    public boolean isNull(String name) {
      return isNull(indexOf(name));
    }

    /** A bigint (int, smallint, tinyint) value. */
    public long getLong(int i) {
      return (Long) get(i);
    }

    /** A bigint (int, smallint, tinyint) value. */
    public long getLong(String name) {
      return getLong(indexOf(name));
    }

    /** A double (float) value. */
    public double getDouble(int i) {
      return (Double) get(i);
    }

    /** A double (float) value. */
    public double getDouble(String name) {
      return getDouble(indexOf(name));
    }

    /** A boolean value. */
    public boolean getBoolean(int i) {
      return (Boolean) get(i);
    }

    /** A boolean value. */
    public boolean getBoolean(String name) {
      return getBoolean(indexOf(name));
    }

    /** A string (varchar, char) value; null for NULL. */
    public String getString(int i) {
      return (String) get(i);
    }

    /** A string (varchar, char) value; null for NULL. */
    public String getString(String name) {
      return getString(indexOf(name));
    }

    /** A decimal value, exact (built from the decimal's text); null for NULL. */
    public BigDecimal getBigDecimal(int i) {
      return (BigDecimal) get(i);
    }

    /** A decimal value, exact; null for NULL. */
    public BigDecimal getBigDecimal(String name) {
      return getBigDecimal(indexOf(name));
    }

    /** A binary value (or a string that is not UTF-8); null for NULL. */
    public byte[] getBytes(int i) {
      return (byte[]) get(i);
    }

    /** A binary value; null for NULL. */
    public byte[] getBytes(String name) {
      return getBytes(indexOf(name));
    }

    /** A date value; null for NULL. */
    public LocalDate getLocalDate(int i) {
      return (LocalDate) get(i);
    }

    /** A date value; null for NULL. */
    public LocalDate getLocalDate(String name) {
      return getLocalDate(indexOf(name));
    }

    /** A datetime or timestamp value (with nanoseconds); null for NULL. */
    public Instant getInstant(int i) {
      return (Instant) get(i);
    }

    /** A datetime or timestamp value (with nanoseconds); null for NULL. */
    public Instant getInstant(String name) {
      return getInstant(indexOf(name));
    }

    @Override
    public String toString() {
      return "Row" + values();
    }
  }
}
