package com.mcgateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mcgateway.maxcompute.gateway.v1.GetInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.GetInstanceResponse;
import com.mcgateway.maxcompute.gateway.v1.Instance;
import com.mcgateway.maxcompute.gateway.v1.InstanceServiceGrpc;
import com.mcgateway.maxcompute.gateway.v1.Status;
import com.mcgateway.maxcompute.gateway.v1.StopInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.StopInstanceResponse;
import com.mcgateway.maxcompute.gateway.v1.WatchEventType;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tests on a scripted InstanceService (a real grpc-java server on a loopback port) for what the
 * gateway cannot be made to do on demand: fail reads with UNAVAILABLE, so the service config's
 * retry policy shows, and end watch streams at chosen points.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScriptedServerTest {
  private final AtomicInteger getCalls = new AtomicInteger();
  private final AtomicInteger stopCalls = new AtomicInteger();
  private final AtomicInteger watchCalls = new AtomicInteger();
  private Server server;
  private McGatewayClient client;

  private final class Scripted extends InstanceServiceGrpc.InstanceServiceImplBase {
    @Override
    public void getInstance(GetInstanceRequest req, StreamObserver<GetInstanceResponse> out) {
      if (getCalls.incrementAndGet() <= 2) {
        out.onError(io.grpc.Status.UNAVAILABLE.withDescription("upstream hiccup").asRuntimeException());
        return;
      }
      out.onNext(
          GetInstanceResponse.newBuilder()
              .setInstance(Instance.newBuilder().setId(req.getInstanceId()))
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
          Instance.newBuilder().setId(req.getInstanceId()).setStatus(Status.STATUS_RUNNING).build();
      out.onNext(
          WatchInstanceResponse.newBuilder()
              .setEventType(WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT)
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
              .setEventType(WatchEventType.WATCH_EVENT_TYPE_TERMINAL)
              .setSequence(2)
              .setInstance(
                  running.toBuilder().setStatus(Status.STATUS_TERMINATED).setSuccessful(true))
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
    client = McGatewayClient.builder("127.0.0.1:" + server.getPort()).plaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void serviceConfigRetriesReadsOnly() {
    assertEquals("i1", client.getInstance("", "i1").getId());
    assertEquals(3, getCalls.get(), "two UNAVAILABLE answers were retried");
    StatusRuntimeException error =
        assertThrows(StatusRuntimeException.class, () -> client.stopInstance("", "i1"));
    assertEquals(io.grpc.Status.Code.UNAVAILABLE, error.getStatus().getCode());
    assertEquals(1, stopCalls.get(), "writes are not retried");
  }

  @Test
  void watchUntilDoneResumesAfterUnavailable() {
    List<WatchEventType> types = new ArrayList<>();
    Instance done = client.watchUntilDone("", "i2", e -> types.add(e.getEventType()));
    assertTrue(done.getSuccessful());
    assertEquals(
        List.of(
            WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT,
            WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT,
            WatchEventType.WATCH_EVENT_TYPE_TERMINAL),
        types);
  }

  @Test
  void asyncWatchResumesAfterUnavailable() throws Exception {
    List<WatchEventType> types = new ArrayList<>();
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
}
