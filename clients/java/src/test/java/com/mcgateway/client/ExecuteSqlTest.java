package com.mcgateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mcgateway.maxcompute.gateway.v1.ExecuteSqlRequest;
import com.mcgateway.maxcompute.gateway.v1.ExecuteSqlResponse;
import com.mcgateway.maxcompute.gateway.v1.Instance;
import com.mcgateway.maxcompute.gateway.v1.InstanceServiceGrpc;
import com.mcgateway.maxcompute.gateway.v1.SqlJob;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse.EventType;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * executeSql's resuming against a scripted server (clients/README.md, "Adding helpers"): after the
 * first event it follows the named instance with WatchInstance, never resubmitting; before it, it
 * calls ExecuteSql again with the same request id.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExecuteSqlTest {
  private final List<ExecuteSqlRequest> executes = new CopyOnWriteArrayList<>();
  private final List<WatchInstanceRequest> watches = new CopyOnWriteArrayList<>();
  private volatile int failBefore;
  private Server server;
  private McGatewayClient client;

  private final class Scripted extends InstanceServiceGrpc.InstanceServiceImplBase {
    @Override
    public void executeSql(ExecuteSqlRequest req, StreamObserver<ExecuteSqlResponse> out) {
      executes.add(req);
      int n = executes.size();
      if (n <= failBefore) {
        out.onError(Status.UNAVAILABLE.withDescription("not yet").asRuntimeException());
        return;
      }
      Instance running = Instance.newBuilder().setInstanceId("x1").setState(Instance.State.RUNNING).build();
      out.onNext(
          ExecuteSqlResponse.newBuilder()
              .setEventType(EventType.SNAPSHOT)
              .setSequence(1)
              .setInstance(running)
              .setReattached(n > 1)
              .build());
      out.onError(Status.UNAVAILABLE.withDescription("max stream age").asRuntimeException());
    }

    @Override
    public void watchInstance(WatchInstanceRequest req, StreamObserver<WatchInstanceResponse> out) {
      watches.add(req);
      Instance running =
          Instance.newBuilder().setInstanceId(req.getInstanceId()).setState(Instance.State.RUNNING).build();
      out.onNext(
          WatchInstanceResponse.newBuilder().setEventType(EventType.SNAPSHOT).setSequence(2).setInstance(running).build());
      out.onNext(
          WatchInstanceResponse.newBuilder()
              .setEventType(EventType.TERMINAL)
              .setSequence(3)
              .setInstance(running.toBuilder().setState(Instance.State.TERMINATED).setSuccessful(true))
              .build());
      out.onCompleted();
    }
  }

  private List<ExecuteSqlResponse> run() throws Exception {
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new Scripted())
            .build()
            .start();
    client =
        McGatewayClient.builder("127.0.0.1:" + server.getPort())
            .plaintext()
            .environment(Map.of())
            .build();
    List<ExecuteSqlResponse> events = new ArrayList<>();
    Instance last =
        client.executeSql(
            ExecuteSqlRequest.newBuilder()
                .setProject("p")
                .setJob(SqlJob.newBuilder().setQuery("select 1"))
                .setStopOnCancel(true)
                .setOmitProgress(true)
                .build(),
            events::add);
    assertEquals("x1", last.getInstanceId());
    assertTrue(last.getSuccessful());
    return events;
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void resumesWithWatchInstanceNeverResubmitting() throws Exception {
    List<ExecuteSqlResponse> events = run();
    assertEquals(
        List.of(EventType.SNAPSHOT, EventType.SNAPSHOT, EventType.TERMINAL),
        events.stream().map(ExecuteSqlResponse::getEventType).toList());
    assertEquals(1, executes.size());
    ExecuteSqlRequest req = executes.get(0);
    assertTrue(req.getRequestId().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    assertTrue(req.getStopOnCancel() && req.getOmitProgress());
    assertEquals(1, watches.size());
    assertEquals("x1", watches.get(0).getInstanceId());
    assertEquals("p", watches.get(0).getProject());
    assertTrue(watches.get(0).getOmitProgress());
  }

  @Test
  void retriesWithTheSameRequestIdBeforeTheFirstEvent() throws Exception {
    failBefore = 2;
    List<ExecuteSqlResponse> events = run();
    assertEquals(3, executes.size());
    for (ExecuteSqlRequest req : executes) {
      assertEquals(executes.get(0).getRequestId(), req.getRequestId());
    }
    assertTrue(events.stream().allMatch(ExecuteSqlResponse::getReattached));
  }
}
