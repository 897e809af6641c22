package com.mcgateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mcgateway.maxcompute.gateway.v1.GenerateLogviewAddressRequest;
import com.mcgateway.maxcompute.gateway.v1.GenerateLogviewAddressResponse;
import com.mcgateway.maxcompute.gateway.v1.GetInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.Instance;
import com.mcgateway.maxcompute.gateway.v1.InstanceServiceGrpc;
import com.mcgateway.maxcompute.gateway.v1.ListSubInstancesRequest;
import com.mcgateway.maxcompute.gateway.v1.ListSubInstancesResponse;
import com.mcgateway.maxcompute.gateway.v1.ListTaskResultsRequest;
import com.mcgateway.maxcompute.gateway.v1.ListTaskResultsResponse;
import com.mcgateway.maxcompute.gateway.v1.ListTasksRequest;
import com.mcgateway.maxcompute.gateway.v1.ListTasksResponse;
import com.mcgateway.maxcompute.gateway.v1.SqlJob;
import com.mcgateway.maxcompute.gateway.v1.StopInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.StopInstanceResponse;
import com.mcgateway.maxcompute.gateway.v1.SubInstance;
import com.mcgateway.maxcompute.gateway.v1.SubmitSqlRequest;
import com.mcgateway.maxcompute.gateway.v1.SubmitSqlResponse;
import com.mcgateway.maxcompute.gateway.v1.Task;
import com.mcgateway.maxcompute.gateway.v1.TaskResult;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse.EventType;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tests on a scripted InstanceService (a real grpc-java server on a loopback port) for what the
 * gateway cannot be made to do on demand: fail reads with UNAVAILABLE, so the service config's
 * retry policy shows, end watch streams at chosen points, and page in small pages.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScriptedServerTest {
  private final AtomicInteger getCalls = new AtomicInteger();
  private final AtomicInteger stopCalls = new AtomicInteger();
  private final AtomicInteger watchCalls = new AtomicInteger();
  private final AtomicInteger resultCalls = new AtomicInteger();
  private final AtomicInteger logviewCalls = new AtomicInteger();
  private final List<ListTasksRequest> taskRequests = new CopyOnWriteArrayList<>();
  private final List<SubmitSqlRequest> submits = new CopyOnWriteArrayList<>();
  private final List<GenerateLogviewAddressRequest> logviews = new CopyOnWriteArrayList<>();
  private Server server;
  private McGatewayClient client;

  private final class Scripted extends InstanceServiceGrpc.InstanceServiceImplBase {
    @Override
    public void getInstance(GetInstanceRequest req, StreamObserver<Instance> out) {
      if (getCalls.incrementAndGet() <= 2) {
        out.onError(io.grpc.Status.UNAVAILABLE.withDescription("upstream hiccup").asRuntimeException());
        return;
      }
      out.onNext(Instance.newBuilder().setInstanceId(req.getInstanceId()).build());
      out.onCompleted();
    }

    /** Five tasks t0..t4 in pages of two; the token is the index of the page's first task. */
    @Override
    public void listTasks(ListTasksRequest req, StreamObserver<ListTasksResponse> out) {
      taskRequests.add(req);
      int from = req.getPageToken().isEmpty() ? 0 : Integer.parseInt(req.getPageToken());
      ListTasksResponse.Builder page = ListTasksResponse.newBuilder();
      for (int i = from; i < Math.min(from + 2, 5); i++) {
        page.addTasks(Task.newBuilder().setName("t" + i).setState(Task.State.SUCCEEDED));
      }
      if (from + 2 < 5) {
        page.setNextPageToken(Integer.toString(from + 2));
      }
      out.onNext(page.build());
      out.onCompleted();
    }

    /** The first call fails with UNAVAILABLE; then two pages of one result each. */
    @Override
    public void listTaskResults(
        ListTaskResultsRequest req, StreamObserver<ListTaskResultsResponse> out) {
      if (resultCalls.incrementAndGet() == 1) {
        out.onError(io.grpc.Status.UNAVAILABLE.withDescription("upstream hiccup").asRuntimeException());
        return;
      }
      boolean first = req.getPageToken().isEmpty();
      ListTaskResultsResponse.Builder page =
          ListTaskResultsResponse.newBuilder()
              .addTaskResults(TaskResult.newBuilder().setTaskName(first ? "a" : "b").setContent("x"));
      if (first) {
        page.setNextPageToken("next");
      }
      out.onNext(page.build());
      out.onCompleted();
    }

    /** Instance "loop" answers every page with the same token; others have one page. */
    @Override
    public void listSubInstances(
        ListSubInstancesRequest req, StreamObserver<ListSubInstancesResponse> out) {
      ListSubInstancesResponse.Builder page =
          ListSubInstancesResponse.newBuilder()
              .addSubInstances(SubInstance.newBuilder().setName("n").setInstanceId("sub1"));
      if (req.getInstanceId().equals("loop")) {
        page.setNextPageToken("same");
      }
      out.onNext(page.build());
      out.onCompleted();
    }

    @Override
    public void generateLogviewAddress(
        GenerateLogviewAddressRequest req, StreamObserver<GenerateLogviewAddressResponse> out) {
      logviews.add(req);
      if (logviewCalls.incrementAndGet() == 1) {
        out.onError(io.grpc.Status.UNAVAILABLE.withDescription("upstream hiccup").asRuntimeException());
        return;
      }
      out.onNext(GenerateLogviewAddressResponse.newBuilder().setUrl("https://logview/x").build());
      out.onCompleted();
    }

    /** Query "bad" is INVALID_ARGUMENT; otherwise two UNAVAILABLE answers, then the instance. */
    @Override
    public void submitSql(SubmitSqlRequest req, StreamObserver<SubmitSqlResponse> out) {
      submits.add(req);
      if (req.getJob().getQuery().equals("bad")) {
        out.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription("bad query").asRuntimeException());
        return;
      }
      if (submits.size() <= 2) {
        out.onError(
            io.grpc.Status.UNAVAILABLE.withDescription("answer to the create lost").asRuntimeException());
        return;
      }
      out.onNext(
          SubmitSqlResponse.newBuilder()
              .setInstance(Instance.newBuilder().setInstanceId("created-" + req.getRequestId()))
              .build());
      out.onCompleted();
    }

    @Override
    public void stopInstance(StopInstanceRequest req, StreamObserver<StopInstanceResponse> out) {
      stopCalls.incrementAndGet();
      out.onError(io.grpc.Status.UNAVAILABLE.withDescription("upstream hiccup").asRuntimeException());
    }

    /** The first stream ends with UNAVAILABLE after a snapshot, the next one terminates. */
    @Override
    public void watchInstance(WatchInstanceRequest req, StreamObserver<WatchInstanceResponse> out) {
      // Counted before anything is sent, so a client that saw the snapshot sees the count.
      boolean first = watchCalls.incrementAndGet() == 1;
      Instance running =
          Instance.newBuilder()
              .setInstanceId(req.getInstanceId())
              .setState(Instance.State.RUNNING)
              .build();
      out.onNext(
          WatchInstanceResponse.newBuilder()
              .setEventType(EventType.SNAPSHOT)
              .setSequence(1)
              .setInstance(running)
              .build());
      if (first) {
        out.onError(
            io.grpc.Status.UNAVAILABLE.withDescription("maximum stream age").asRuntimeException());
        return;
      }
      out.onNext(
          WatchInstanceResponse.newBuilder()
              .setEventType(EventType.TERMINAL)
              .setSequence(2)
              .setInstance(
                  running.toBuilder().setState(Instance.State.TERMINATED).setSuccessful(true))
              .build());
      out.onCompleted();
    }
  }

  @BeforeEach
  void start() throws Exception {
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new Scripted())
            .build()
            .start();
    client =
        McGatewayClient.builder("127.0.0.1:" + server.getPort()).environment(Map.of()).build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void serviceConfigRetriesReadsOnly() {
    assertEquals("i1", client.getInstance("", "i1").getInstanceId());
    assertEquals(3, getCalls.get(), "two UNAVAILABLE answers were retried");
    StatusRuntimeException error =
        assertThrows(StatusRuntimeException.class, () -> client.stopInstance("", "i1"));
    assertEquals(io.grpc.Status.Code.UNAVAILABLE, error.getStatus().getCode());
    assertEquals(1, stopCalls.get(), "writes are not retried");
  }

  @Test
  void watchUntilDoneResumesAfterUnavailable() {
    List<EventType> types = new ArrayList<>();
    Instance done = client.watchUntilDone("", "i2", e -> types.add(e.getEventType()));
    assertTrue(done.hasSuccessful() && done.getSuccessful());
    assertEquals(Instance.State.TERMINATED, done.getState());
    assertEquals(List.of(EventType.SNAPSHOT, EventType.SNAPSHOT, EventType.TERMINAL), types);
  }

  @Test
  void asyncWatchResumesAfterUnavailable() throws Exception {
    List<EventType> types = new ArrayList<>();
    Instance done =
        client.watchUntilDoneAsync("", "i3", e -> types.add(e.getEventType())).get(20, TimeUnit.SECONDS);
    assertTrue(done.getSuccessful());
    assertEquals(3, types.size());
    assertEquals(2, watchCalls.get());
  }

  @Test
  void callbackExceptionEndsTheWatchAsIs() {
    IllegalStateException stop = new IllegalStateException("seen enough");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                client.watchUntilDone(
                    "",
                    "i4",
                    e -> {
                      throw stop;
                    }));
    assertSame(stop, thrown);
    assertEquals(1, watchCalls.get(), "a callback exception is not retried");
  }

  @Test
  void listTasksWalksEveryPage() {
    List<Task> tasks = client.listTasks("p", "i5");
    assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), tasks.stream().map(Task::getName).toList());
    assertEquals(
        List.of("", "2", "4"), taskRequests.stream().map(ListTasksRequest::getPageToken).toList());
    assertTrue(taskRequests.stream().allMatch(r -> r.getProject().equals("p")));
    assertTrue(taskRequests.stream().allMatch(r -> r.getInstanceId().equals("i5")));
  }

  @Test
  void listTaskResultsIsARetriedReadAndWalksEveryPage() {
    List<TaskResult> results = client.listTaskResults("", "i6");
    assertEquals(List.of("a", "b"), results.stream().map(TaskResult::getTaskName).toList());
    assertEquals(3, resultCalls.get(), "the UNAVAILABLE answer was retried by the service config");
  }

  @Test
  void listSubInstancesStopsOnARepeatedPageToken() {
    assertEquals(1, client.listSubInstances("", "x").size());
    StatusRuntimeException error =
        assertThrows(StatusRuntimeException.class, () -> client.listSubInstances("", "loop"));
    assertEquals(io.grpc.Status.Code.INTERNAL, error.getStatus().getCode());
  }

  @Test
  void generateLogviewAddressSendsTheTtlAndIsRetried() {
    assertEquals(
        "https://logview/x",
        client.generateLogviewAddress("", "i7", Duration.ofHours(2)).getUrl());
    assertEquals(2, logviewCalls.get(), "the UNAVAILABLE answer was retried by the service config");
    assertEquals(7200, logviews.get(0).getTtl().getSeconds());
    client.generateLogviewAddress("", "i7", null);
    assertFalse(logviews.get(2).hasTtl(), "no ttl: the gateway's default");
  }

  @Test
  void submitSqlRetriesUnavailableWithOneUuid4RequestId() {
    Instance inst = client.submitSql("p", "select 1", Map.of("odps.sql.mapper.split.size", "16"));
    assertEquals(3, submits.size(), "two UNAVAILABLE answers, then the instance");
    String id = submits.get(0).getRequestId();
    assertEquals(4, UUID.fromString(id).version());
    assertTrue(submits.stream().allMatch(r -> r.getRequestId().equals(id)), "one id for all tries");
    assertEquals("created-" + id, inst.getInstanceId());
    SqlJob job = submits.get(0).getJob();
    assertEquals("select 1", job.getQuery());
    assertEquals("16", job.getHintsOrThrow("odps.sql.mapper.split.size"));
    assertFalse(job.hasPriority(), "unset priority: MaxCompute's default");
    assertEquals("p", submits.get(0).getProject());
  }

  @Test
  void submitSqlKeepsTheCallersRequestIdAndPriority() {
    String id = McGatewayClient.newRequestId();
    client.submitSql(
        SubmitSqlRequest.newBuilder()
            .setJob(SqlJob.newBuilder().setQuery("select 2").setPriority(1))
            .setRequestId(id)
            .build());
    assertEquals(3, submits.size());
    assertTrue(submits.stream().allMatch(r -> r.getRequestId().equals(id)));
    assertEquals(1, submits.get(0).getJob().getPriority());
  }

  @Test
  void submitSqlDoesNotRetryOtherErrors() {
    StatusRuntimeException error =
        assertThrows(StatusRuntimeException.class, () -> client.submitSql("", "bad", Map.of()));
    assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    assertEquals(1, submits.size());
    // The generated stub alone makes one attempt: the service config does not retry writes.
    assertThrows(
        StatusRuntimeException.class,
        () ->
            client.blocking()
                .submitSql(
                    SubmitSqlRequest.newBuilder()
                        .setJob(SqlJob.newBuilder().setQuery("select 3"))
                        .build()));
    assertEquals(2, submits.size());
  }
}
