package com.mcgateway.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import com.mcgateway.maxcompute.gateway.v1.InstanceServiceGrpc;
import com.mcgateway.maxcompute.gateway.v1.ReadInstanceResultRequest;
import com.mcgateway.maxcompute.gateway.v1.ReadInstanceResultResponse;
import com.mcgateway.maxcompute.gateway.v1.ResultArray;
import com.mcgateway.maxcompute.gateway.v1.ResultColumn;
import com.mcgateway.maxcompute.gateway.v1.ResultMap;
import com.mcgateway.maxcompute.gateway.v1.ResultRow;
import com.mcgateway.maxcompute.gateway.v1.ResultRowBatch;
import com.mcgateway.maxcompute.gateway.v1.ResultSchema;
import com.mcgateway.maxcompute.gateway.v1.ResultValue;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ReadInstanceResult's reader: every value kind decoded exactly (hand-built messages), and
 * resuming at the next row after a stream that fails with UNAVAILABLE, ends early or skips a row
 * (a scripted server on loopback). The end-to-end read is in {@link EndToEndTest}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResultReaderTest {
  private Server server;

  private static ResultValue i64(long v) {
    return ResultValue.newBuilder().setInt64Value(v).build();
  }

  private static ResultValue str(String v) {
    return ResultValue.newBuilder().setStringValue(v).build();
  }

  private static ResultValue nul() {
    return ResultValue.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
  }

  @Test
  void decodesEveryValueKindExactly() {
    assertNull(ResultReader.value(nul()));
    assertNull(ResultReader.value(ResultValue.getDefaultInstance()));
    assertEquals(Long.MAX_VALUE, ResultReader.value(i64(Long.MAX_VALUE)));
    assertEquals(Long.MIN_VALUE, ResultReader.value(i64(Long.MIN_VALUE)));
    assertEquals(0.1, ResultReader.value(ResultValue.newBuilder().setDoubleValue(0.1).build()));
    Object dec = ResultReader.value(ResultValue.newBuilder().setDecimalValue("-12.345000000000000000").build());
    assertEquals(new BigDecimal("-12.345000000000000000"), dec);
    assertEquals(18, ((BigDecimal) dec).scale(), "the decimal keeps its scale");
    assertEquals("héllo", ResultReader.value(str("héllo")));
    assertArrayEquals(
        new byte[] {0, (byte) 0xff, 'a'},
        (byte[]) ResultReader.value(ResultValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, (byte) 0xff, 'a'})).build()));
    assertEquals(true, ResultReader.value(ResultValue.newBuilder().setBoolValue(true).build()));
    assertEquals(LocalDate.of(2024, 2, 29), ResultReader.value(ResultValue.newBuilder().setDateValue("2024-02-29").build()));
    assertEquals(
        Instant.parse("2024-02-29T23:59:58.123456789Z"),
        ResultReader.value(ResultValue.newBuilder().setTimestampValue(Timestamp.newBuilder().setSeconds(1709251198).setNanos(123456789)).build()));
    assertEquals(
        Instant.ofEpochSecond(-1, 5),
        ResultReader.value(ResultValue.newBuilder().setTimestampValue(Timestamp.newBuilder().setSeconds(-1).setNanos(5)).build()));
    assertEquals(
        Arrays.asList(1L, null, 3L),
        ResultReader.value(ResultValue.newBuilder().setArrayValue(ResultArray.newBuilder().addValues(i64(1)).addValues(nul()).addValues(i64(3))).build()));
    Object map =
        ResultReader.value(
            ResultValue.newBuilder()
                .setMapValue(
                    ResultMap.newBuilder()
                        .addEntries(ResultMap.Entry.newBuilder().setKey(str("b")).setValue(i64(2)))
                        .addEntries(ResultMap.Entry.newBuilder().setKey(str("a")).setValue(nul())))
                .build());
    assertEquals(List.of("b", "a"), new ArrayList<>(((Map<?, ?>) map).keySet()), "map entries keep their order");
    assertEquals(2L, ((Map<?, ?>) map).get("b"));
    assertTrue(((Map<?, ?>) map).containsKey("a") && ((Map<?, ?>) map).get("a") == null);
    assertEquals(
        List.of(7L, "x", List.of("y")),
        ResultReader.value(
            ResultValue.newBuilder()
                .setStructValue(
                    ResultArray.newBuilder()
                        .addValues(i64(7))
                        .addValues(str("x"))
                        .addValues(ResultValue.newBuilder().setArrayValue(ResultArray.newBuilder().addValues(str("y")))))
                .build()));
  }

  @Test
  void rowGettersByIndexAndName() throws Exception {
    Instant at = Instant.parse("2020-01-02T03:04:05.000000006Z");
    ReadInstanceResultResponse header =
        ReadInstanceResultResponse.newBuilder()
            .setSchema(
                ResultSchema.newBuilder()
                    .addColumns(col("id", "bigint"))
                    .addColumns(col("label", "string"))
                    .addColumns(col("d", "decimal(10,2)"))
                    .addColumns(col("b", "binary"))
                    .addColumns(col("ok", "boolean"))
                    .addColumns(col("x", "double"))
                    .addColumns(col("at", "timestamp"))
                    .addColumns(col("day", "date")))
            .setTotalRowCount(1)
            .setSelectedRowCount(1)
            .build();
    ResultRow row =
        ResultRow.newBuilder()
            .addValues(i64(42))
            .addValues(nul())
            .addValues(ResultValue.newBuilder().setDecimalValue("1.50"))
            .addValues(ResultValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("raw")))
            .addValues(ResultValue.newBuilder().setBoolValue(true))
            .addValues(ResultValue.newBuilder().setDoubleValue(2.5))
            .addValues(ResultValue.newBuilder().setTimestampValue(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano())))
            .addValues(ResultValue.newBuilder().setDateValue("2020-01-02"))
            .build();
    ReadInstanceResultResponse batch =
        ReadInstanceResultResponse.newBuilder()
            .setRowCount(1)
            .setRowBatch(ResultRowBatch.newBuilder().addRows(row))
            .build();
    // A reader over an in-memory stream: the typed getters need no server.
    try (ResultReader reader =
        new ResultReader(
            ReadInstanceResultRequest.getDefaultInstance(),
            r -> List.of(header, batch).iterator(),
            (b, last) -> {
              throw last;
            })) {
      assertEquals(List.of("id", "label", "d", "b", "ok", "x", "at", "day"), reader.schema().stream().map(ResultReader.Column::name).toList());
      ResultReader.Row r = reader.next();
      assertEquals(42L, r.getLong("id"));
      assertEquals(42L, r.getLong(0));
      assertTrue(r.isNull("label") && r.isNull(1) && !r.isNull("id"));
      assertNull(r.getString("label"));
      assertEquals(new BigDecimal("1.50"), r.getBigDecimal("d"));
      assertArrayEquals("raw".getBytes(), r.getBytes("b"));
      assertTrue(r.getBoolean("ok"));
      assertEquals(2.5, r.getDouble(5));
      assertEquals(at, r.getInstant("at"));
      assertEquals(LocalDate.of(2020, 1, 2), r.getLocalDate("day"));
      assertThrows(IllegalArgumentException.class, () -> r.get("nope"));
      assertThrows(ClassCastException.class, () -> r.getString("id"));
      assertThrows(NullPointerException.class, () -> r.getLong("label"));
      assertFalse(reader.hasNext());
    }
  }

  private static ResultColumn col(String name, String type) {
    return ResultColumn.newBuilder().setName(name).setType(type).build();
  }

  /** How a scripted stream ends after its batches. */
  enum Break {
    UNAVAILABLE,
    END_EARLY,
    SKIP_ROW
  }

  /**
   * Serves a result of {@code total} rows (id = the row's index, label = "row-id") in batches of 3
   * rows; the first call sends 2 batches and breaks, the second breaks at once, the third
   * completes (or, with {@code failRest}, every later call fails with UNAVAILABLE).
   */
  private final class Scripted extends InstanceServiceGrpc.InstanceServiceImplBase {
    final long total;
    final Break mode;
    final boolean failRest;
    final List<ReadInstanceResultRequest> requests = new CopyOnWriteArrayList<>();

    Scripted(long total, Break mode, boolean failRest) {
      this.total = total;
      this.mode = mode;
      this.failRest = failRest;
    }

    @Override
    public void readInstanceResult(ReadInstanceResultRequest req, StreamObserver<ReadInstanceResultResponse> out) {
      requests.add(req);
      int call = requests.size();
      long offset = req.getOffset();
      long end = req.getLimit() > 0 ? Math.min(total, offset + req.getLimit()) : total;
      out.onNext(
          ReadInstanceResultResponse.newBuilder()
              .setSchema(ResultSchema.newBuilder().addColumns(col("id", "bigint")).addColumns(col("label", "string")))
              .setTotalRowCount(total)
              .setSelectedRowCount(end - offset)
              .setRowOffset(offset)
              .build());
      int batches = call == 1 ? 2 : call == 2 || failRest ? 0 : Integer.MAX_VALUE;
      for (int sent = 0; offset < end && sent < batches; sent++) {
        long count = Math.min(3, end - offset);
        out.onNext(batch(offset, count, offset));
        offset += count;
      }
      if (batches == Integer.MAX_VALUE) {
        out.onCompleted();
        return;
      }
      Break how = failRest && call > 1 ? Break.UNAVAILABLE : mode;
      switch (how) {
        case UNAVAILABLE -> out.onError(Status.UNAVAILABLE.withDescription("gateway restarting").asRuntimeException());
        case END_EARLY -> out.onCompleted();
        case SKIP_ROW -> {
          out.onNext(batch(offset + 1, 1, offset + 1));
          out.onCompleted();
        }
      }
    }
  }

  private static ReadInstanceResultResponse batch(long offset, long count, long firstId) {
    ResultRowBatch.Builder rows = ResultRowBatch.newBuilder();
    for (long id = firstId; id < firstId + count; id++) {
      rows.addRows(ResultRow.newBuilder().addValues(i64(id)).addValues(str("row-" + id)));
    }
    return ReadInstanceResultResponse.newBuilder().setRowOffset(offset).setRowCount(count).setRowBatch(rows).build();
  }

  private McGatewayClient start(InstanceServiceGrpc.InstanceServiceImplBase service) throws Exception {
    server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(service).build().start();
    return McGatewayClient.builder("127.0.0.1:" + server.getPort())
        .environment(Map.of())
        .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(4))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(Break.class)
  void resumesAtTheNextRow(Break mode) throws Exception {
    Scripted scripted = new Scripted(30, mode, false);
    try (McGatewayClient client = start(scripted);
        ResultReader reader =
            client.readInstanceResult(
                ReadInstanceResultRequest.newBuilder()
                    .setProject("p")
                    .setInstanceId("i1")
                    .addColumns("id")
                    .addColumns("label")
                    .setOffset(5)
                    .setLimit(20)
                    .build())) {
      assertEquals(20, reader.count());
      assertEquals(30, reader.totalCount());
      List<Long> ids = new ArrayList<>();
      for (ResultReader.Row row : reader) {
        assertEquals("row-" + row.getLong("id"), row.getString("label"));
        ids.add(row.getLong("id"));
      }
      assertEquals(LongStream.range(5, 25).boxed().toList(), ids, "every row once, in order");
      assertEquals(3, scripted.requests.size());
      long[][] want = {{5, 20}, {11, 14}, {11, 14}};
      for (int i = 0; i < 3; i++) {
        ReadInstanceResultRequest r = scripted.requests.get(i);
        assertEquals(want[i][0], r.getOffset(), "offset of call " + i);
        assertEquals(want[i][1], r.getLimit(), "limit of call " + i);
        assertEquals(List.of("id", "label"), r.getColumnsList());
        assertEquals("i1", r.getInstanceId());
        assertEquals(ReadInstanceResultRequest.Format.ROWS, r.getFormat());
      }
    }
  }

  @Test
  void givesUpWhenTheDeadlinePasses() throws Exception {
    Scripted scripted = new Scripted(10, Break.UNAVAILABLE, true);
    try (McGatewayClient client = start(scripted);
        ResultReader reader = client.withTimeout(Duration.ofMillis(300)).readInstanceResult("", "i1")) {
      int n = 0;
      StatusRuntimeException e = null;
      try {
        while (reader.hasNext()) {
          reader.next();
          n++;
        }
      } catch (StatusRuntimeException thrown) {
        e = thrown;
      }
      assertEquals(6, n, "the rows before the break");
      assertTrue(e != null && e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED, "ended with " + e);
      assertTrue(scripted.requests.size() > 2, "kept reconnecting until the deadline");
    }
  }

  @Test
  void otherErrorsEndTheRead() throws Exception {
    try (McGatewayClient client = start(new InstanceServiceGrpc.InstanceServiceImplBase() {})) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.readInstanceResult("", "i1"));
      assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    }
  }
}
