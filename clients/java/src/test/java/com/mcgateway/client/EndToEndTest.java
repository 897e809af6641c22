package com.mcgateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.mcgateway.maxcompute.gateway.v1.ExecuteSqlRequest;
import com.mcgateway.maxcompute.gateway.v1.ExecuteSqlResponse;
import com.mcgateway.maxcompute.gateway.v1.GenerateLogviewAddressResponse;
import com.mcgateway.maxcompute.gateway.v1.GetTaskResultRequest;
import com.mcgateway.maxcompute.gateway.v1.Instance;
import com.mcgateway.maxcompute.gateway.v1.ListInstancesRequest;
import com.mcgateway.maxcompute.gateway.v1.ListInstancesResponse;
import com.mcgateway.maxcompute.gateway.v1.ListTasksRequest;
import com.mcgateway.maxcompute.gateway.v1.ListTasksResponse;
import com.mcgateway.maxcompute.gateway.v1.QueueingInfo;
import com.mcgateway.maxcompute.gateway.v1.SqlJob;
import com.mcgateway.maxcompute.gateway.v1.SubmitSqlRequest;
import com.mcgateway.maxcompute.gateway.v1.Task;
import com.mcgateway.maxcompute.gateway.v1.TaskProgress;
import com.mcgateway.maxcompute.gateway.v1.TaskResult;
import com.mcgateway.maxcompute.gateway.v1.TaskSummary;
import com.mcgateway.maxcompute.gateway.v1.WaitInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse.EventType;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * End-to-end tests against a running gateway on the embedded emulator. tests/polyglot starts one
 * and sets MCGW_TARGET (plaintext loopback, no token); without it these tests are skipped.
 */
@EnabledIfEnvironmentVariable(named = "MCGW_TARGET", matches = ".+")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EndToEndTest {
  private static final String HINT = "mcemulator.duration_seconds";
  private static final String PROJECT = System.getenv().getOrDefault("MCGW_PROJECT", "");
  private static McGatewayClient client;

  @BeforeAll
  static void connect() {
    McGatewayClient.Builder builder =
        McGatewayClient.builder(System.getenv("MCGW_TARGET")).plaintext();
    String token = System.getenv("MCGW_TOKEN");
    if (token != null && !token.isEmpty()) {
      builder.token(token);
    }
    client = builder.build();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  private static Instance submit(String seconds) {
    Instance inst = client.submitSql(PROJECT, "select * from pyodps_iris limit 1", Map.of(HINT, seconds));
    assertFalse(inst.getInstanceId().isEmpty(), "submitted instance has an id");
    return inst;
  }

  private static Instance waitTerminated(String id) {
    while (true) {
      Instance inst =
          client
              .blocking()
              .waitInstance(
                  WaitInstanceRequest.newBuilder()
                      .setProject(PROJECT)
                      .setInstanceId(id)
                      .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(10))
                      .build())
              .getInstance();
      if (inst.getState() == Instance.State.TERMINATED) {
        return inst;
      }
    }
  }

  @Test
  void listsWithPaging() {
    Set<String> submitted = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      submitted.add(submit("0").getInstanceId());
    }
    Set<String> seen = new HashSet<>();
    int pages = 0;
    ListInstancesRequest request =
        ListInstancesRequest.newBuilder().setProject(PROJECT).setPageSize(2).build();
    while (true) {
      ListInstancesResponse page = client.blocking().listInstances(request);
      pages++;
      assertTrue(page.getInstancesCount() <= 2, "page within page_size");
      for (Instance inst : page.getInstancesList()) {
        assertTrue(seen.add(inst.getInstanceId()), "listed once: " + inst.getInstanceId());
        assertFalse(inst.hasSuccessful(), "ListInstances does not read tasks: outcome unset");
      }
      if (page.getNextPageToken().isEmpty()) {
        break;
      }
      request = request.toBuilder().setPageToken(page.getNextPageToken()).build();
    }
    assertTrue(pages >= 2, "at least two pages, got " + pages);
    assertTrue(seen.containsAll(submitted), "every submitted instance is listed");

    int iterated = 0;
    for (Instance inst :
        client.listInstances(ListInstancesRequest.newBuilder().setProject(PROJECT).setPageSize(2).build())) {
      assertFalse(inst.getInstanceId().isEmpty());
      iterated++;
    }
    assertTrue(iterated >= seen.size(), "the iterator walks every page");
  }

  @Test
  void listsWithFilters() {
    Instance inst = submit("0");
    String id = inst.getInstanceId();
    waitTerminated(id);
    Instant now = Instant.now();
    Set<String> terminated = new HashSet<>();
    for (Instance i :
        client.listInstances(
            ListInstancesRequest.newBuilder()
                .setProject(PROJECT)
                .setStateFilter(Instance.State.TERMINATED)
                .setMinStartTime(ts(now.minusSeconds(3600)))
                .setMaxStartTime(ts(now.plusSeconds(3600)))
                .build())) {
      assertEquals(Instance.State.TERMINATED, i.getState(), "state_filter applies");
      terminated.add(i.getInstanceId());
    }
    assertTrue(terminated.contains(id), "the terminated instance is in its time range");
    for (Instance i :
        client.listInstances(
            ListInstancesRequest.newBuilder()
                .setProject(PROJECT)
                .setMinStartTime(ts(now.plusSeconds(3600)))
                .setMaxStartTime(ts(now.plusSeconds(7200)))
                .build())) {
      assertNotEquals(id, i.getInstanceId(), "min_start_time after its start excludes it");
    }
    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                client.blocking()
                    .listInstances(
                        ListInstancesRequest.newBuilder()
                            .setProject(PROJECT)
                            .setMinStartTime(ts(now))
                            .setMaxStartTime(ts(now.minusSeconds(60)))
                            .build()));
    assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
  }

  @Test
  void getsAnInstance() {
    Instance submitted = submit("0");
    String id = submitted.getInstanceId();
    Instance inst = client.withTimeout(Duration.ofSeconds(20)).getInstance(PROJECT, id);
    assertEquals(id, inst.getInstanceId());
    assertNotEquals(Instance.State.STATE_UNSPECIFIED, inst.getState());
    assertFalse(inst.getTasksList().isEmpty(), "instance has its tasks");
    assertTrue(client.instanceExists(PROJECT, id));
    Instance done = waitTerminated(id);
    assertTrue(done.hasSuccessful() && done.getSuccessful(), "a terminated SQL job has its outcome");
    assertEquals(Task.State.SUCCEEDED, done.getTasks(0).getState());
  }

  @Test
  void readsTasksResultsProgressAndLogview() {
    String id = submit("0").getInstanceId();
    waitTerminated(id);
    List<Task> tasks = client.listTasks(PROJECT, id);
    assertEquals(1, tasks.size(), "one AnonymousSQLTask: " + tasks);
    String task = tasks.get(0).getName();
    assertEquals(Task.State.SUCCEEDED, tasks.get(0).getState());

    ListTasksResponse page =
        client
            .blocking()
            .listTasks(
                ListTasksRequest.newBuilder()
                    .setProject(PROJECT)
                    .setInstanceId(id)
                    .setPageSize(1)
                    .build());
    assertEquals(1, page.getTasksCount());
    assertTrue(page.getNextPageToken().isEmpty(), "one task fills one page");
    StatusRuntimeException negative =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                client.blocking()
                    .listTasks(
                        ListTasksRequest.newBuilder()
                            .setProject(PROJECT)
                            .setInstanceId(id)
                            .setPageSize(-1)
                            .build()));
    assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, negative.getStatus().getCode());

    TaskResult result =
        client
            .blocking()
            .getTaskResult(
                GetTaskResultRequest.newBuilder()
                    .setProject(PROJECT)
                    .setInstanceId(id)
                    .setTaskName(task)
                    .build());
    assertEquals(task, result.getTaskName());
    assertFalse(result.getContent().isEmpty(), "a select has a result");
    List<TaskResult> results = client.listTaskResults(PROJECT, id);
    assertEquals(List.of(result), results);
    assertEquals(result.getContent(), client.getTaskResult(PROJECT, id, task));
    assertEquals(result.getContent(), client.getTaskResult(PROJECT, id, ""), "the first task's");
    assertEquals(result.getContent(), client.getTaskResult(PROJECT, id, null), "the first task's");

    TaskProgress progress = client.getTaskProgress(PROJECT, id, task);
    assertEquals(task, progress.getTaskName());

    StatusRuntimeException noTask =
        assertThrows(
            StatusRuntimeException.class, () -> client.getTaskResult(PROJECT, id, "NoSuchTask"));
    assertEquals(io.grpc.Status.Code.NOT_FOUND, noTask.getStatus().getCode());
    assertEquals(GatewayErrors.Reason.TASK_NOT_FOUND, GatewayErrors.reason(noTask).orElse(""));

    Instant before = Instant.now();
    GenerateLogviewAddressResponse logview =
        client.generateLogviewAddress(PROJECT, id, Duration.ofHours(2));
    assertFalse(logview.getUrl().isEmpty());
    Instant expires = Instant.ofEpochSecond(logview.getExpireTime().getSeconds());
    assertTrue(
        expires.isAfter(before.plus(Duration.ofMinutes(110)))
            && expires.isBefore(Instant.now().plus(Duration.ofMinutes(130))),
        "a 2 h token expires in about 2 h: " + expires);
    assertFalse(client.generateLogviewAddress(PROJECT, id, null).getUrl().isEmpty());
    StatusRuntimeException badTtl =
        assertThrows(
            StatusRuntimeException.class,
            () -> client.generateLogviewAddress(PROJECT, id, Duration.ofMinutes(90)));
    assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, badTtl.getStatus().getCode());

    StatusRuntimeException notXflow =
        assertThrows(StatusRuntimeException.class, () -> client.listSubInstances(PROJECT, id));
    assertEquals(io.grpc.Status.Code.FAILED_PRECONDITION, notXflow.getStatus().getCode());
    assertEquals(GatewayErrors.Reason.NOT_XFLOW, GatewayErrors.reason(notXflow).orElse(""));
  }

  @Test
  void submissionWithARequestIdIsIdempotent() {
    String requestId = McGatewayClient.newRequestId();
    SubmitSqlRequest request =
        SubmitSqlRequest.newBuilder()
            .setProject(PROJECT)
            .setJob(
                SqlJob.newBuilder()
                    .setQuery("select * from pyodps_iris limit 1")
                    .putHints(HINT, "0")
                    .setPriority(3))
            .setRequestId(requestId)
            .build();
    Instance first = client.submitSql(request);
    Instance again = client.submitSql(request);
    assertEquals(first.getInstanceId(), again.getInstanceId(), "same request_id, same instance");
    Instance other = client.submitSql(request.toBuilder().setRequestId(UUID.randomUUID().toString()).build());
    assertNotEquals(first.getInstanceId(), other.getInstanceId());

    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class,
            () -> client.submitSql(request.toBuilder().setRequestId("not-a-uuid").build()));
    assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    assertEquals(GatewayErrors.Reason.INVALID_REQUEST, GatewayErrors.reason(error).orElse(""));
  }

  @Test
  void missingInstanceIsNotFoundWithReason() {
    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class,
            () -> client.getInstance(PROJECT, "20000101000000000nosuchjv1"));
    assertEquals(io.grpc.Status.Code.NOT_FOUND, error.getStatus().getCode());
    assertEquals(GatewayErrors.DOMAIN, GatewayErrors.errorInfo(error).orElseThrow().getDomain());
    assertEquals(GatewayErrors.Reason.INSTANCE_NOT_FOUND, GatewayErrors.reason(error).orElse(""));
    assertTrue(
        Set.of("NoSuchObject", "NoSuchInstance")
            .contains(GatewayErrors.maxComputeCode(error).orElse("")),
        "MaxCompute's code in metadata: " + GatewayErrors.metadata(error));
    assertFalse(client.instanceExists(PROJECT, "20000101000000000nosuchjv1"));
    assertFalse(GatewayErrors.requestId(error).orElse("").isEmpty(), "MaxCompute's request id");
    assertFalse(GatewayErrors.gatewayRequestId(error).orElse("").isEmpty(), "the gateway's");
  }

  @Test
  void waitsUntilDone() {
    Instance done = client.waitUntilDone(PROJECT, submit("2").getInstanceId());
    assertEquals(Instance.State.TERMINATED, done.getState());
    assertTrue(done.hasSuccessful() && done.getSuccessful(), "succeeded: " + done);
    StatusRuntimeException missing =
        assertThrows(
            StatusRuntimeException.class,
            () -> client.waitUntilDone(PROJECT, "20000101000000000nosuchjv2"));
    assertEquals(io.grpc.Status.Code.NOT_FOUND, missing.getStatus().getCode());
  }

  @Test
  void stopsARunningInstance() {
    Instance running = submit("60");
    client.stopInstance(PROJECT, running.getInstanceId());
    Instance done = waitTerminated(running.getInstanceId());
    assertTrue(done.hasSuccessful(), "a terminated instance has its outcome");
    assertFalse(done.getSuccessful(), "a stopped instance is not successful");
  }

  @Test
  void stoppingATerminatedInstanceIsFailedPrecondition() {
    Instance inst = submit("0");
    waitTerminated(inst.getInstanceId());
    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class, () -> client.stopInstance(PROJECT, inst.getInstanceId()));
    assertEquals(io.grpc.Status.Code.FAILED_PRECONDITION, error.getStatus().getCode());
    assertEquals(GatewayErrors.Reason.INSTANCE_NOT_RUNNING, GatewayErrors.reason(error).orElse(""));
    assertEquals("InvalidStateSetting", GatewayErrors.maxComputeCode(error).orElse(""));
  }

  @Test
  void submitsAndWatchesUntilDone() {
    Instance inst = submit("3");
    List<WatchInstanceResponse> events = new ArrayList<>();
    Instance done = client.watchUntilDone(PROJECT, inst.getInstanceId(), events::add);
    assertEquals(EventType.SNAPSHOT, events.get(0).getEventType());
    assertEquals(EventType.TERMINAL, events.get(events.size() - 1).getEventType());
    assertTrue(
        events.stream().anyMatch(e -> e.getEventType() == EventType.PROGRESS),
        "at least one PROGRESS event among " + events.size());
    for (int i = 1; i < events.size(); i++) {
      assertTrue(
          events.get(i).getSequence() >= events.get(i - 1).getSequence(), "sequences increase");
    }
    assertEquals(Instance.State.TERMINATED, done.getState());
    assertTrue(done.hasSuccessful() && done.getSuccessful());
  }

  @Test
  void watchesAsynchronously() throws Exception {
    Instance inst = submit("1");
    List<EventType> types = new ArrayList<>();
    Instance done =
        client
            .watchUntilDoneAsync(PROJECT, inst.getInstanceId(), e -> types.add(e.getEventType()))
            .get(60, TimeUnit.SECONDS);
    assertEquals(Instance.State.TERMINATED, done.getState());
    assertEquals(EventType.TERMINAL, types.get(types.size() - 1));
  }

  @Test
  void asyncWatchOfMissingInstanceFailsWithReason() {
    var future = client.watchUntilDoneAsync(PROJECT, "20000101000000000nosuchjv2", e -> {});
    var error = assertThrows(java.util.concurrent.ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    assertEquals(io.grpc.Status.Code.NOT_FOUND, GatewayErrors.code(error.getCause()));
    assertEquals(
        GatewayErrors.Reason.INSTANCE_NOT_FOUND, GatewayErrors.reason(error.getCause()).orElse(""));
  }

  @Test
  void callDeadlineReachesTheGateway() {
    Instance inst = submit("60");
    try {
      long start = System.nanoTime();
      WaitInstanceRequest request =
          WaitInstanceRequest.newBuilder()
              .setProject(PROJECT)
              .setInstanceId(inst.getInstanceId())
              .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(20))
              .build();
      try {
        // The gateway waits min(request timeout, call deadline): it answers with the running
        // instance just before the deadline, or the deadline passes first on a slow machine.
        Instance waited =
            client.withTimeout(Duration.ofMillis(500)).blocking().waitInstance(request).getInstance();
        assertEquals(Instance.State.RUNNING, waited.getState());
      } catch (StatusRuntimeException e) {
        assertEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(elapsed.compareTo(Duration.ofSeconds(5)) < 0, "deadline not honoured: " + elapsed);
    } finally {
      client.stopInstance(PROJECT, inst.getInstanceId());
    }
  }

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
  @Test
  void executeSqlReachesTerminalWithTheResultReadable() {
    List<ExecuteSqlResponse> events = new ArrayList<>();
    SqlJob job =
        SqlJob.newBuilder().setQuery("select * from pyodps_iris limit 1").putHints(HINT, "0").build();
    Instance last = client.executeSql(PROJECT, job, events::add);
    assertFalse(events.get(0).getInstance().getInstanceId().isEmpty(), "the first event names it");
    assertFalse(events.get(0).getReattached());
    assertEquals(EventType.TERMINAL, events.get(events.size() - 1).getEventType());
    assertEquals(Instance.State.TERMINATED, last.getState());
    assertTrue(last.getSuccessful());
    assertFalse(client.getTaskResult(PROJECT, last.getInstanceId(), "").isEmpty());
  }

  /** Thrown from the callback to leave (and so cancel) the ExecuteSql call mid-run. */
  private static final class LeaveMidRun extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void executeSqlWithStopOnCancelStopsTheInstanceWhenCancelled() {
    SqlJob job =
        SqlJob.newBuilder().setQuery("select * from pyodps_iris limit 1").putHints(HINT, "60").build();
    ExecuteSqlRequest request =
        ExecuteSqlRequest.newBuilder().setProject(PROJECT).setJob(job).setStopOnCancel(true).build();
    List<String> ids = new ArrayList<>();
    assertThrows(
        LeaveMidRun.class,
        () ->
            client.executeSql(
                request,
                e -> {
                  ids.add(e.getInstance().getInstanceId());
                  if (e.getInstance().getState() == Instance.State.RUNNING) {
                    throw new LeaveMidRun();
                  }
                }));
    String id = ids.get(0);
    waitTerminated(id);
    Instance inst = client.getInstance(PROJECT, id);
    assertEquals(Instance.State.TERMINATED, inst.getState());
    assertEquals(Task.State.CANCELLED, inst.getTasks(0).getState());
  }

  @Test
  void getTaskSummaryOfAFinishedTaskHasTextAndCost() {
    String id = submit("0").getInstanceId();
    waitTerminated(id);
    TaskSummary summary = client.getTaskSummary(PROJECT, id, "AnonymousSQLTask");
    assertEquals("AnonymousSQLTask", summary.getTaskName());
    assertFalse(summary.getSummaryText().isEmpty(), "summary text");
    assertTrue(summary.hasCost(), "cost");
    assertEquals("AnonymousSQLTask", client.getTaskSummary(PROJECT, id, "").getTaskName());
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> client.getTaskSummary(PROJECT, id, "NoSuchTask"));
    assertEquals("TASK_NOT_FOUND", GatewayErrors.reason(e).orElse(""));
  }

  @Test
  void getQueueingInfoOfARunningInstanceGivesItsPriority() {
    SqlJob job =
        SqlJob.newBuilder()
            .setQuery("select * from pyodps_iris limit 1")
            .putHints(HINT, "60")
            .setPriority(3)
            .build();
    String id = client.submitSql(PROJECT, job).getInstanceId();
    try {
      QueueingInfo info = client.getQueueingInfo(PROJECT, id);
      assertEquals(id, info.getInstanceId());
      assertTrue(info.hasPriority());
      assertEquals(3, info.getPriority());
    } finally {
      client.stopInstance(PROJECT, id);
    }
  }
  /**
   * ReadInstanceResult end to end: a 25,000-row select (past the 10,000 rows of getTaskResult),
   * then projection, offset and limit, and an unknown column.
   */
  @Test
  void readInstanceResultPastTenThousandRows() {
    int total = 25_000;
    Instance inst =
        client.submitSql(
            PROJECT, "select range as id, 'row-' || range as label from range(" + total + ") order by id");
    assertTrue(client.waitUntilDone(PROJECT, inst.getInstanceId()).getSuccessful());
    try (ResultReader reader = client.readInstanceResult(PROJECT, inst.getInstanceId())) {
      assertEquals(total, reader.count());
      assertEquals(total, reader.totalCount());
      assertEquals(
          List.of(new ResultReader.Column("id", "bigint"), new ResultReader.Column("label", "string")),
          reader.schema());
      long next = 0;
      for (ResultReader.Row row : reader) {
        assertEquals(next, row.getLong("id"));
        assertEquals("row-" + next, row.getString(1));
        next++;
      }
      assertEquals(total, next);
    }
    com.mcgateway.maxcompute.gateway.v1.ReadInstanceResultRequest projected =
        com.mcgateway.maxcompute.gateway.v1.ReadInstanceResultRequest.newBuilder()
            .setProject(PROJECT)
            .setInstanceId(inst.getInstanceId())
            .addColumns("label")
            .addColumns("id")
            .setOffset(12_345)
            .setLimit(7)
            .build();
    try (ResultReader reader = client.readInstanceResult(projected)) {
      assertEquals(7, reader.count());
      assertEquals("label", reader.schema().get(0).name());
      List<List<Object>> rows = new ArrayList<>();
      reader.forEachRemaining(row -> rows.add(row.values()));
      List<List<Object>> want = new ArrayList<>();
      for (long id = 12_345; id < 12_352; id++) {
        want.add(List.of("row-" + id, id));
      }
      assertEquals(want, rows);
    }
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> client.readInstanceResult(projected.toBuilder().clearColumns().addColumns("nope").build()));
    assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
  }
}
