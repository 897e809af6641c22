package com.mcgateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mcgateway.maxcompute.gateway.v1.GetInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.GetTaskResultRequest;
import com.mcgateway.maxcompute.gateway.v1.Instance;
import com.mcgateway.maxcompute.gateway.v1.InstanceServiceGrpc;
import com.mcgateway.maxcompute.gateway.v1.ListTaskResultsRequest;
import com.mcgateway.maxcompute.gateway.v1.ListTaskResultsResponse;
import com.mcgateway.maxcompute.gateway.v1.TaskResult;
import com.mcgateway.maxcompute.gateway.v1.WaitInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.WaitInstanceResponse;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse.EventType;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The helpers' reconnecting after UNAVAILABLE (clients/README.md, "The helper set"): no limit but
 * the caller's deadline, waitUntilDone riding out UNAVAILABLE, getTaskResult's text, and the token
 * from the environment.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReconnectTest {
  private static final io.grpc.Context.Key<String> AUTHORIZATION = io.grpc.Context.key("auth");

  private final AtomicInteger watchCalls = new AtomicInteger();
  private final AtomicInteger waitCalls = new AtomicInteger();
  private volatile int watchFail;
  private volatile int waitFail;
  private Server server;

  /** Fails the first watchFail watches and waitFail waits with UNAVAILABLE. */
  private final class Flaky extends InstanceServiceGrpc.InstanceServiceImplBase {
    @Override
    public void watchInstance(WatchInstanceRequest req, StreamObserver<WatchInstanceResponse> out) {
      if (watchCalls.incrementAndGet() <= watchFail) {
        out.onError(Status.UNAVAILABLE.withDescription("not yet").asRuntimeException());
        return;
      }
      Instance running =
          Instance.newBuilder().setInstanceId(req.getInstanceId()).setState(Instance.State.RUNNING).build();
      out.onNext(
          WatchInstanceResponse.newBuilder().setEventType(EventType.SNAPSHOT).setSequence(1).setInstance(running).build());
      out.onNext(
          WatchInstanceResponse.newBuilder()
              .setEventType(EventType.TERMINAL)
              .setSequence(2)
              .setInstance(running.toBuilder().setState(Instance.State.TERMINATED).setSuccessful(true))
              .build());
      out.onCompleted();
    }

    @Override
    public void waitInstance(WaitInstanceRequest req, StreamObserver<WaitInstanceResponse> out) {
      int n = waitCalls.incrementAndGet();
      if (n <= waitFail) {
        out.onError(Status.UNAVAILABLE.withDescription("not yet").asRuntimeException());
        return;
      }
      Instance.Builder inst = Instance.newBuilder().setInstanceId(req.getInstanceId());
      if (n == waitFail + 1) {
        inst.setState(Instance.State.RUNNING);
      } else {
        inst.setState(Instance.State.TERMINATED).setSuccessful(true);
      }
      out.onNext(WaitInstanceResponse.newBuilder().setInstance(inst).build());
      out.onCompleted();
    }

    @Override
    public void getTaskResult(GetTaskResultRequest req, StreamObserver<TaskResult> out) {
      if (!req.getTaskName().equals("second")) {
        out.onError(Status.NOT_FOUND.withDescription("no such task").asRuntimeException());
        return;
      }
      out.onNext(TaskResult.newBuilder().setTaskName("second").setContent("\"n\"\n2\n").build());
      out.onCompleted();
    }

    @Override
    public void listTaskResults(
        ListTaskResultsRequest req, StreamObserver<ListTaskResultsResponse> out) {
      if (req.getPageSize() != 1) {
        out.onError(Status.INVALID_ARGUMENT.withDescription("want page_size 1").asRuntimeException());
        return;
      }
      out.onNext(
          ListTaskResultsResponse.newBuilder()
              .addTaskResults(TaskResult.newBuilder().setTaskName("first").setContent("\"n\"\n1\n"))
              .setNextPageToken("more")
              .build());
      out.onCompleted();
    }

    /** Answers with the authorization header it received as the instance id. */
    @Override
    public void getInstance(GetInstanceRequest req, StreamObserver<Instance> out) {
      String auth = AUTHORIZATION.get();
      out.onNext(Instance.newBuilder().setInstanceId(auth == null ? "" : auth).build());
      out.onCompleted();
    }
  }

  private McGatewayClient start(Map<String, String> env) throws Exception {
    Metadata.Key<String> header = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(
                ServerInterceptors.intercept(
                    new Flaky(),
                    new io.grpc.ServerInterceptor() {
                      @Override
                      public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
                          io.grpc.ServerCall<Q, R> call,
                          Metadata headers,
                          io.grpc.ServerCallHandler<Q, R> next) {
                        io.grpc.Context ctx =
                            io.grpc.Context.current().withValue(AUTHORIZATION, headers.get(header));
                        return Contexts.interceptCall(ctx, call, headers, next);
                      }
                    }))
            .build()
            .start();
    return McGatewayClient.builder("127.0.0.1:" + server.getPort())
        .environment(env)
        .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(4))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void watchReconnectsWithoutACountLimit() throws Exception {
    watchFail = 12;
    try (McGatewayClient client = start(Map.of())) {
      List<EventType> types = new ArrayList<>();
      Instance done = client.watchUntilDone("", "i1", e -> types.add(e.getEventType()));
      assertTrue(done.getSuccessful());
      assertEquals(List.of(EventType.SNAPSHOT, EventType.TERMINAL), types);
      assertEquals(13, watchCalls.get());
    }
  }

  @Test
  void asyncWatchReconnectsWithoutACountLimit() throws Exception {
    watchFail = 12;
    try (McGatewayClient client = start(Map.of())) {
      Instance done = client.watchUntilDoneAsync("", "i1", e -> {}).get(20, TimeUnit.SECONDS);
      assertTrue(done.getSuccessful());
      assertEquals(13, watchCalls.get());
    }
  }

  @Test
  void watchGivesUpWhenTheDeadlinePasses() throws Exception {
    watchFail = Integer.MAX_VALUE;
    try (McGatewayClient client = start(Map.of())) {
      StatusRuntimeException error =
          assertThrows(
              StatusRuntimeException.class,
              () -> client.withTimeout(Duration.ofMillis(300)).watchUntilDone("", "i1", e -> {}));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, error.getStatus().getCode());
      assertTrue(watchCalls.get() > 5, "reconnecting must not stop after a count: " + watchCalls.get());

      ExecutionException async =
          assertThrows(
              ExecutionException.class,
              () ->
                  client
                      .withTimeout(Duration.ofMillis(300))
                      .watchUntilDoneAsync("", "i1", e -> {})
                      .get(20, TimeUnit.SECONDS));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, Status.fromThrowable(async.getCause()).getCode());
    }
  }

  @Test
  void waitUntilDoneRidesOutUnavailable() throws Exception {
    waitFail = 9;
    try (McGatewayClient client = start(Map.of())) {
      Instance done = client.waitUntilDone("", "i2");
      assertEquals(Instance.State.TERMINATED, done.getState());
      assertTrue(done.getSuccessful());
      assertEquals(11, waitCalls.get(), "9 UNAVAILABLE (and the channel's own retries), running, terminated");
    }
  }

  @Test
  void getTaskResultReturnsTheText() throws Exception {
    try (McGatewayClient client = start(Map.of())) {
      assertEquals("\"n\"\n2\n", client.getTaskResult("", "i3", "second"));
      assertEquals("\"n\"\n1\n", client.getTaskResult("", "i3", ""), "the first task's");
      StatusRuntimeException missing =
          assertThrows(StatusRuntimeException.class, () -> client.getTaskResult("", "i3", "nope"));
      assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
    }
  }

  @Test
  void theTokenComesFromTheEnvironmentUnlessGiven() throws Exception {
    try (McGatewayClient client = start(Map.of("MCGW_TOKEN", "from-env"))) {
      assertEquals("Bearer from-env", client.getInstance("", "x").getInstanceId());
    }
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    try (McGatewayClient client = start(Map.of())) {
      String target = client.target().toString();
      try (McGatewayClient given =
          McGatewayClient.builder(target).environment(Map.of("MCGW_TOKEN", "from-env")).token("given").build()) {
        assertEquals("Bearer given", given.getInstance("", "x").getInstanceId());
      }
      try (McGatewayClient none =
          McGatewayClient.builder(target).environment(Map.of("MCGW_TOKEN", "from-env")).token("").build()) {
        assertEquals("", none.getInstance("", "x").getInstanceId());
      }
    }
  }
}
