package com.mcgateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mcgateway.maxcompute.gateway.v1.Instance;
import com.mcgateway.maxcompute.gateway.v1.ListInstancesRequest;
import com.mcgateway.maxcompute.gateway.v1.ListInstancesResponse;
import com.mcgateway.maxcompute.gateway.v1.Status;
import com.mcgateway.maxcompute.gateway.v1.WaitInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.WatchEventType;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    assertFalse(inst.getId().isEmpty(), "submitted instance has an id");
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
      if (inst.getStatus() == Status.STATUS_TERMINATED) {
        return inst;
      }
    }
  }

  @Test
  void listsWithPaging() {
    Set<String> submitted = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      submitted.add(submit("0").getId());
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
        assertTrue(seen.add(inst.getId()), "listed once: " + inst.getId());
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
      assertFalse(inst.getId().isEmpty());
      iterated++;
    }
    assertTrue(iterated >= seen.size(), "the iterator walks every page");
  }

  @Test
  void getsAnInstance() {
    Instance submitted = submit("0");
    Instance inst = client.withTimeout(Duration.ofSeconds(20)).getInstance(PROJECT, submitted.getId());
    assertEquals(submitted.getId(), inst.getId());
    assertNotEquals(Status.STATUS_UNSPECIFIED, inst.getStatus());
    assertFalse(inst.getTasksList().isEmpty(), "instance has its tasks");
  }

  @Test
  void missingInstanceIsNotFoundWithReason() {
    StatusRuntimeException error =
        assertThrows(
            StatusRuntimeException.class,
            () -> client.getInstance(PROJECT, "20000101000000000nosuchjv1"));
    assertEquals(io.grpc.Status.Code.NOT_FOUND, error.getStatus().getCode());
    assertEquals("NoSuchObject", GatewayErrors.reason(error).orElse(""));
  }

  @Test
  void stopsARunningInstance() {
    Instance running = submit("60");
    client.stopInstance(PROJECT, running.getId());
    Instance done = waitTerminated(running.getId());
    assertFalse(done.getSuccessful(), "a stopped instance is not successful");
  }

  @Test
  void stoppingATerminatedInstanceIsFailedPrecondition() {
    Instance inst = submit("0");
    waitTerminated(inst.getId());
    StatusRuntimeException error =
        assertThrows(StatusRuntimeException.class, () -> client.stopInstance(PROJECT, inst.getId()));
    assertEquals(io.grpc.Status.Code.FAILED_PRECONDITION, error.getStatus().getCode());
    assertEquals("InvalidStateSetting", GatewayErrors.reason(error).orElse(""));
  }

  @Test
  void submitsAndWatchesUntilDone() {
    Instance inst = submit("3");
    List<WatchInstanceResponse> events = new ArrayList<>();
    Instance done = client.watchUntilDone(PROJECT, inst.getId(), events::add);
    assertEquals(WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT, events.get(0).getEventType());
    assertEquals(WatchEventType.WATCH_EVENT_TYPE_TERMINAL, events.get(events.size() - 1).getEventType());
    assertTrue(
        events.stream().anyMatch(e -> e.getEventType() == WatchEventType.WATCH_EVENT_TYPE_PROGRESS),
        "at least one PROGRESS event among " + events.size());
    assertEquals(Status.STATUS_TERMINATED, done.getStatus());
    assertTrue(done.getSuccessful());
  }

  @Test
  void watchesAsynchronously() throws Exception {
    Instance inst = submit("1");
    List<WatchEventType> types = new ArrayList<>();
    Instance done =
        client
            .watchUntilDoneAsync(PROJECT, inst.getId(), e -> types.add(e.getEventType()))
            .get(60, TimeUnit.SECONDS);
    assertEquals(Status.STATUS_TERMINATED, done.getStatus());
    assertEquals(WatchEventType.WATCH_EVENT_TYPE_TERMINAL, types.get(types.size() - 1));
  }

  @Test
  void asyncWatchOfMissingInstanceFailsWithReason() {
    var future = client.watchUntilDoneAsync(PROJECT, "20000101000000000nosuchjv2", e -> {});
    var error = assertThrows(java.util.concurrent.ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    assertEquals(io.grpc.Status.Code.NOT_FOUND, GatewayErrors.code(error.getCause()));
    assertEquals("NoSuchObject", GatewayErrors.reason(error.getCause()).orElse(""));
  }

  @Test
  void callDeadlineReachesTheGateway() {
    Instance inst = submit("60");
    try {
      long start = System.nanoTime();
      WaitInstanceRequest request =
          WaitInstanceRequest.newBuilder()
              .setProject(PROJECT)
              .setInstanceId(inst.getId())
              .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(20))
              .build();
      try {
        // The gateway waits min(request timeout, call deadline): it answers with the running
        // instance just before the deadline, or the deadline passes first on a slow machine.
        Instance waited =
            client.withTimeout(Duration.ofMillis(500)).blocking().waitInstance(request).getInstance();
        assertEquals(Status.STATUS_RUNNING, waited.getStatus());
      } catch (StatusRuntimeException e) {
        assertEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(elapsed.compareTo(Duration.ofSeconds(5)) < 0, "deadline not honoured: " + elapsed);
    } finally {
      client.stopInstance(PROJECT, inst.getId());
    }
  }
}
