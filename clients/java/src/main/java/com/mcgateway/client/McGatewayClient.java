package com.mcgateway.client;

import com.mcgateway.maxcompute.gateway.v1.GenerateLogviewAddressRequest;
import com.mcgateway.maxcompute.gateway.v1.GenerateLogviewAddressResponse;
import com.mcgateway.maxcompute.gateway.v1.GetInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.GetTaskProgressRequest;
import com.mcgateway.maxcompute.gateway.v1.GetTaskResultRequest;
import com.mcgateway.maxcompute.gateway.v1.Instance;
import com.mcgateway.maxcompute.gateway.v1.InstanceExistsRequest;
import com.mcgateway.maxcompute.gateway.v1.InstanceServiceGrpc;
import com.mcgateway.maxcompute.gateway.v1.ListInstancesRequest;
import com.mcgateway.maxcompute.gateway.v1.ListInstancesResponse;
import com.mcgateway.maxcompute.gateway.v1.ListSubInstancesRequest;
import com.mcgateway.maxcompute.gateway.v1.ListSubInstancesResponse;
import com.mcgateway.maxcompute.gateway.v1.ListTaskResultsRequest;
import com.mcgateway.maxcompute.gateway.v1.ListTaskResultsResponse;
import com.mcgateway.maxcompute.gateway.v1.ListTasksRequest;
import com.mcgateway.maxcompute.gateway.v1.ListTasksResponse;
import com.mcgateway.maxcompute.gateway.v1.SqlJob;
import com.mcgateway.maxcompute.gateway.v1.StopInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.SubInstance;
import com.mcgateway.maxcompute.gateway.v1.SubmitSqlRequest;
import com.mcgateway.maxcompute.gateway.v1.SubmitXflowRequest;
import com.mcgateway.maxcompute.gateway.v1.Task;
import com.mcgateway.maxcompute.gateway.v1.TaskProgress;
import com.mcgateway.maxcompute.gateway.v1.TaskResult;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A client of the mcgateway {@code InstanceService}, the gRPC gateway in front of MaxCompute job
 * instances.
 *
 * <p>The channel uses the service config of {@code proto/} (per-method timeouts, retries of
 * idempotent reads), an optional bearer token and TLS (the default) or plaintext. {@link
 * #blocking()} and {@link #async()} expose the generated stubs for every RPC; the helper methods
 * cover the common paths; the ones that return "every" item walk all pages of a paged List RPC.
 * Errors are {@link StatusRuntimeException}s; {@link GatewayErrors} reads their ErrorInfo reason
 * ({@code INSTANCE_NOT_FOUND}, {@code INSTANCE_NOT_RUNNING}, ...) and MaxCompute's own code.
 *
 * <p>Enums of the API ({@link Instance.State}, {@link Task.State}, the watch event types) may gain
 * values: a newer gateway's value reads as {@code UNRECOGNIZED}, which callers should treat as
 * unspecified.
 *
 * <pre>{@code
 * try (McGatewayClient client = McGatewayClient.builder("127.0.0.1:50051").plaintext().build()) {
 *   Instance done = client.watchUntilDone("", id, event -> System.out.println(event.getEventType()));
 * }
 * }</pre>
 */
public final class McGatewayClient implements AutoCloseable {
  private static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /** Reconnects in a row that deliver nothing before giving up on a watch. */
  private static final int MAX_RESUMES = 5;
  /** Attempts of one submission (same request id) while the gateway answers UNAVAILABLE. */
  private static final int SUBMIT_ATTEMPTS = 4;
  private static final Duration SUBMIT_MAX_BACKOFF = Duration.ofSeconds(2);

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final CallCredentials credentials;
  private final Duration timeout;

  private McGatewayClient(
      ManagedChannel channel, boolean ownsChannel, CallCredentials credentials, Duration timeout) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.credentials = credentials;
    this.timeout = timeout;
  }

  /** Starts building a client for {@code target} ("host:port" or any grpc-java target). */
  public static Builder builder(String target) {
    return new Builder(target);
  }

  /**
   * A view of this client whose calls each get {@code timeout} as their deadline, overriding the
   * service config's per-method timeout. It shares the channel; closing it does nothing.
   */
  public McGatewayClient withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return new McGatewayClient(channel, false, credentials, timeout);
  }

  /** The blocking stub, with the token and this view's per-call timeout applied. */
  public InstanceServiceGrpc.InstanceServiceBlockingStub blocking() {
    InstanceServiceGrpc.InstanceServiceBlockingStub stub =
        InstanceServiceGrpc.newBlockingStub(channel);
    if (credentials != null) {
      stub = stub.withCallCredentials(credentials);
    }
    return timeout == null ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The async stub, with the token and this view's per-call timeout applied. */
  public InstanceServiceGrpc.InstanceServiceStub async() {
    InstanceServiceGrpc.InstanceServiceStub stub = InstanceServiceGrpc.newStub(channel);
    if (credentials != null) {
      stub = stub.withCallCredentials(credentials);
    }
    return timeout == null ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The channel, for other services of the gateway (health, reflection). */
  public ManagedChannel channel() {
    return channel;
  }

  /**
   * One instance with its tasks; NOT_FOUND (reason {@code INSTANCE_NOT_FOUND}) when absent.
   * {@code successful} is set once it terminated; {@code priority} when MaxCompute reported one.
   */
  public Instance getInstance(String project, String instanceId) {
    return blocking()
        .getInstance(
            GetInstanceRequest.newBuilder().setProject(project).setInstanceId(instanceId).build());
  }

  /** Whether the instance exists (MaxCompute's {@code NoSuchObject} is {@code false}). */
  public boolean instanceExists(String project, String instanceId) {
    return blocking()
        .instanceExists(
            InstanceExistsRequest.newBuilder().setProject(project).setInstanceId(instanceId).build())
        .getExists();
  }

  /**
   * Every instance {@code request} selects ({@code state_filter}, {@code only_owner}, {@code
   * min_start_time}, {@code max_start_time}), fetching pages lazily while the caller iterates and
   * following {@code next_page_token} until it is empty. Each page is one call with this view's
   * timeout; a failed call surfaces as a {@link StatusRuntimeException} from the iterator. The
   * instances come without tasks and with {@code successful} unset.
   */
  public Iterable<Instance> listInstances(ListInstancesRequest request) {
    return () ->
        new Iterator<>() {
          private ListInstancesRequest next = request;
          private Iterator<Instance> page = Collections.emptyIterator();

          @Override
          public boolean hasNext() {
            while (!page.hasNext() && next != null) {
              ListInstancesResponse resp = blocking().listInstances(next);
              page = resp.getInstancesList().iterator();
              next = nextPage(next, resp.getNextPageToken(), next.getPageToken(),
                  (r, token) -> r.toBuilder().setPageToken(token).build());
            }
            return page.hasNext();
          }

          @Override
          public Instance next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return page.next();
          }
        };
  }

  /** Every task of an instance in submission order, walking all pages of ListTasks. */
  public List<Task> listTasks(String project, String instanceId) {
    return allPages(
        ListTasksRequest.newBuilder().setProject(project).setInstanceId(instanceId).build(),
        r -> blocking().listTasks(r),
        ListTasksResponse::getTasksList,
        ListTasksResponse::getNextPageToken,
        ListTasksRequest::getPageToken,
        (r, token) -> r.toBuilder().setPageToken(token).build());
  }

  /** The result of one task; NOT_FOUND with reason {@code TASK_NOT_FOUND} for an unknown task. */
  public TaskResult getTaskResult(String project, String instanceId, String taskName) {
    return blocking()
        .getTaskResult(
            GetTaskResultRequest.newBuilder()
                .setProject(project)
                .setInstanceId(instanceId)
                .setTaskName(taskName)
                .build());
  }

  /** Every task's result in task order, walking all pages of ListTaskResults. */
  public List<TaskResult> listTaskResults(String project, String instanceId) {
    return allPages(
        ListTaskResultsRequest.newBuilder().setProject(project).setInstanceId(instanceId).build(),
        r -> blocking().listTaskResults(r),
        ListTaskResultsResponse::getTaskResultsList,
        ListTaskResultsResponse::getNextPageToken,
        ListTaskResultsRequest::getPageToken,
        (r, token) -> r.toBuilder().setPageToken(token).build());
  }

  /** The stage progress of one task. */
  public TaskProgress getTaskProgress(String project, String instanceId, String taskName) {
    return blocking()
        .getTaskProgress(
            GetTaskProgressRequest.newBuilder()
                .setProject(project)
                .setInstanceId(instanceId)
                .setTaskName(taskName)
                .build());
  }

  /**
   * A new Logview URL (and its expiry) whose token stays valid for {@code ttl}: whole hours from
   * 1 to 2160, or {@code null} for the gateway's default of 720 hours. Other durations are
   * INVALID_ARGUMENT. Each call mints a new token upstream.
   */
  public GenerateLogviewAddressResponse generateLogviewAddress(
      String project, String instanceId, Duration ttl) {
    GenerateLogviewAddressRequest.Builder request =
        GenerateLogviewAddressRequest.newBuilder().setProject(project).setInstanceId(instanceId);
    if (ttl != null) {
      request.setTtl(toProto(ttl));
    }
    return blocking().generateLogviewAddress(request.build());
  }

  /**
   * Every sub-instance of an XFlow instance, walking all pages of ListSubInstances;
   * FAILED_PRECONDITION (reason {@code NOT_XFLOW}) for other instances.
   */
  public List<SubInstance> listSubInstances(String project, String instanceId) {
    return allPages(
        ListSubInstancesRequest.newBuilder().setProject(project).setInstanceId(instanceId).build(),
        r -> blocking().listSubInstances(r),
        ListSubInstancesResponse::getSubInstancesList,
        ListSubInstancesResponse::getNextPageToken,
        ListSubInstancesRequest::getPageToken,
        (r, token) -> r.toBuilder().setPageToken(token).build());
  }

  /**
   * Stops a running instance and returns the state read after the request (it may still be
   * running). An instance that is not running gives FAILED_PRECONDITION (reason {@code
   * INSTANCE_NOT_RUNNING}, MaxCompute code {@code InvalidStateSetting}).
   */
  public Instance stopInstance(String project, String instanceId) {
    return blocking()
        .stopInstance(
            StopInstanceRequest.newBuilder().setProject(project).setInstanceId(instanceId).build())
        .getInstance();
  }

  /**
   * Submits SQL with optional hints (and MaxCompute's default priority) and returns the new
   * instance as first read; see {@link #submitSql(String, SqlJob)}.
   */
  public Instance submitSql(String project, String query, Map<String, String> hints) {
    return submitSql(project, SqlJob.newBuilder().setQuery(query).putAllHints(hints).build());
  }

  /**
   * Submits a SQL job and returns the new instance as first read. The submission carries a new
   * random UUID as its {@code request_id}, so it is retried with that id (which cannot create a
   * second instance) while the gateway answers UNAVAILABLE, up to 4 attempts within this view's
   * timeout.
   */
  public Instance submitSql(String project, SqlJob job) {
    return submitSql(SubmitSqlRequest.newBuilder().setProject(project).setJob(job).build());
  }

  /**
   * Submits a full request: an empty {@code request_id} is replaced by {@link #newRequestId()},
   * and UNAVAILABLE answers are retried with the same id as in {@link #submitSql(String, SqlJob)}.
   * To retry a submission across processes, set the id yourself.
   */
  public Instance submitSql(SubmitSqlRequest request) {
    SubmitSqlRequest withId =
        request.getRequestId().isEmpty()
            ? request.toBuilder().setRequestId(newRequestId()).build()
            : request;
    return submitWithRetries(stub -> stub.submitSql(withId).getInstance());
  }

  /**
   * Submits an XFlow (PAI) job; request id and retries as in {@link
   * #submitSql(SubmitSqlRequest)}.
   */
  public Instance submitXflow(SubmitXflowRequest request) {
    SubmitXflowRequest withId =
        request.getRequestId().isEmpty()
            ? request.toBuilder().setRequestId(newRequestId()).build()
            : request;
    return submitWithRetries(stub -> stub.submitXflow(withId).getInstance());
  }

  /**
   * A new request id for SubmitSql/SubmitXflow: a random (version 4) UUID in its canonical form,
   * the only form the gateway accepts.
   */
  public static String newRequestId() {
    return UUID.randomUUID().toString();
  }

  /** One submission, retried on UNAVAILABLE (same request) within this view's timeout. */
  private Instance submitWithRetries(
      Function<InstanceServiceGrpc.InstanceServiceBlockingStub, Instance> submit) {
    Deadline deadline =
        timeout == null ? null : Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
    Duration backoff = INITIAL_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      InstanceServiceGrpc.InstanceServiceBlockingStub stub =
          InstanceServiceGrpc.newBlockingStub(channel);
      if (credentials != null) {
        stub = stub.withCallCredentials(credentials);
      }
      if (deadline != null) {
        stub = stub.withDeadline(deadline);
      }
      try {
        return submit.apply(stub);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || attempt >= SUBMIT_ATTEMPTS) {
          throw e;
        }
        sleep(GatewayErrors.retryDelay(e).orElse(backoff), deadline);
        backoff =
            backoff.multipliedBy(2).compareTo(SUBMIT_MAX_BACKOFF) > 0
                ? SUBMIT_MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  /**
   * Every item of a paged List RPC: calls until {@code next_page_token} is empty. A server that
   * hands back the token it was given would loop forever; that ends with INTERNAL.
   */
  private static <Q, R, T> List<T> allPages(
      Q first,
      Function<Q, R> call,
      Function<R, List<T>> items,
      Function<R, String> nextToken,
      Function<Q, String> pageToken,
      BiFunction<Q, String, Q> withToken) {
    List<T> all = new ArrayList<>();
    for (Q request = first; request != null; ) {
      R response = call.apply(request);
      all.addAll(items.apply(response));
      request = nextPage(request, nextToken.apply(response), pageToken.apply(request), withToken);
    }
    return Collections.unmodifiableList(all);
  }

  private static <Q> Q nextPage(
      Q request, String next, String current, BiFunction<Q, String, Q> withToken) {
    if (next.isEmpty()) {
      return null;
    }
    if (next.equals(current)) {
      throw Status.INTERNAL
          .withDescription("the gateway returned the page token it was given; paging would not end")
          .asRuntimeException();
    }
    return withToken.apply(request, next);
  }

  /** A protobuf Duration (seconds and nanos of one sign, as the type requires). */
  static com.google.protobuf.Duration toProto(Duration d) {
    long seconds = d.getSeconds();
    int nanos = d.getNano();
    if (seconds < 0 && nanos > 0) {
      seconds += 1;
      nanos -= 1_000_000_000;
    }
    return com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  /**
   * Follows an instance until it terminates, passing every event to {@code onEvent} (the first
   * of each stream is a full snapshot, the last is TERMINAL), and returns the final instance.
   * When the gateway ends the stream with UNAVAILABLE (shutdown, maximum stream age) it
   * reconnects with backoff; the new stream starts with a snapshot, so no state is missed (and
   * one may be seen twice). The whole watch is bounded by this view's timeout when it has one;
   * the service config gives streams none. Other errors (NOT_FOUND, ...) and exceptions from
   * {@code onEvent} end the watch and are thrown.
   */
  public Instance watchUntilDone(
      String project, String instanceId, Consumer<WatchInstanceResponse> onEvent) {
    return watchUntilDone(
        WatchInstanceRequest.newBuilder().setProject(project).setInstanceId(instanceId).build(),
        onEvent);
  }

  /**
   * {@link #watchUntilDone(String, String, Consumer)} with a full request, for {@code
   * omit_progress} or {@code heartbeat_interval}.
   */
  public Instance watchUntilDone(
      WatchInstanceRequest request, Consumer<WatchInstanceResponse> onEvent) {
    String instanceId = request.getInstanceId();
    Deadline deadline =
        timeout == null ? null : Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
    Duration backoff = INITIAL_BACKOFF;
    int failures = 0;
    while (true) {
      boolean progressed = false;
      // A cancellable context so leaving the loop early (callback exception) cancels the call.
      try (Context.CancellableContext ctx = Context.current().withCancellation()) {
        Context previous = ctx.attach();
        try {
          InstanceServiceGrpc.InstanceServiceBlockingStub stub =
              InstanceServiceGrpc.newBlockingStub(channel);
          if (credentials != null) {
            stub = stub.withCallCredentials(credentials);
          }
          if (deadline != null) {
            stub = stub.withDeadline(deadline);
          }
          Iterator<WatchInstanceResponse> events = stub.watchInstance(request);
          while (events.hasNext()) {
            WatchInstanceResponse event = events.next();
            progressed = true;
            onEvent.accept(event);
            if (event.getEventType() == WatchInstanceResponse.EventType.TERMINAL) {
              return event.getInstance();
            }
          }
          // OK without TERMINAL breaks the contract; treat it like a dropped stream.
        } catch (StatusRuntimeException e) {
          boolean resumable = e.getStatus().getCode() == Status.Code.UNAVAILABLE;
          if (!resumable || (!progressed && failures >= MAX_RESUMES)) {
            throw e;
          }
        } finally {
          ctx.detach(previous);
        }
      }
      if (progressed) {
        failures = 0;
        backoff = INITIAL_BACKOFF;
      } else if (failures >= MAX_RESUMES) {
        throw Status.UNAVAILABLE
            .withDescription("watch stream of " + instanceId + " keeps ending before its terminal event")
            .asRuntimeException();
      }
      failures++;
      sleep(backoff, deadline);
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  /**
   * The asynchronous {@link #watchUntilDone}: the future completes with the final instance, or
   * exceptionally with the {@link StatusRuntimeException} (or the callback's exception) that
   * ended the watch. Cancelling the future cancels the stream. {@code onEvent} runs on gRPC's
   * executor threads, one event at a time.
   */
  public CompletableFuture<Instance> watchUntilDoneAsync(
      String project, String instanceId, Consumer<WatchInstanceResponse> onEvent) {
    return watchUntilDoneAsync(
        WatchInstanceRequest.newBuilder().setProject(project).setInstanceId(instanceId).build(),
        onEvent);
  }

  /** {@link #watchUntilDoneAsync(String, String, Consumer)} with a full request. */
  public CompletableFuture<Instance> watchUntilDoneAsync(
      WatchInstanceRequest request, Consumer<WatchInstanceResponse> onEvent) {
    Deadline deadline =
        timeout == null ? null : Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
    CompletableFuture<Instance> result = new CompletableFuture<>();
    new AsyncWatch(request, deadline, onEvent, result).start(INITIAL_BACKOFF, 0);
    return result;
  }

  /** One async watch across reconnects. */
  private final class AsyncWatch {
    private final WatchInstanceRequest request;
    private final Deadline deadline;
    private final Consumer<WatchInstanceResponse> onEvent;
    private final CompletableFuture<Instance> result;

    AsyncWatch(
        WatchInstanceRequest request,
        Deadline deadline,
        Consumer<WatchInstanceResponse> onEvent,
        CompletableFuture<Instance> result) {
      this.request = request;
      this.deadline = deadline;
      this.onEvent = onEvent;
      this.result = result;
    }

    void start(Duration backoff, int failures) {
      if (result.isDone()) {
        return;
      }
      InstanceServiceGrpc.InstanceServiceStub stub = InstanceServiceGrpc.newStub(channel);
      if (credentials != null) {
        stub = stub.withCallCredentials(credentials);
      }
      if (deadline != null) {
        stub = stub.withDeadline(deadline);
      }
      stub.watchInstance(
          request,
          new ClientResponseObserver<WatchInstanceRequest, WatchInstanceResponse>() {
            private ClientCallStreamObserver<WatchInstanceRequest> call;
            private boolean progressed;

            @Override
            public void beforeStart(ClientCallStreamObserver<WatchInstanceRequest> call) {
              this.call = call;
              result.whenComplete(
                  (value, error) -> {
                    if (error != null) {
                      call.cancel("watch cancelled by the caller", error);
                    }
                  });
            }

            @Override
            public void onNext(WatchInstanceResponse event) {
              progressed = true;
              try {
                onEvent.accept(event);
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
              }
              if (event.getEventType() == WatchInstanceResponse.EventType.TERMINAL) {
                result.complete(event.getInstance());
              }
            }

            @Override
            public void onError(Throwable error) {
              if (result.isDone()) {
                return;
              }
              boolean retry =
                  Status.fromThrowable(error).getCode() == Status.Code.UNAVAILABLE
                      && (progressed || failures < MAX_RESUMES);
              if (!retry) {
                result.completeExceptionally(error);
                return;
              }
              resume(progressed);
            }

            @Override
            public void onCompleted() {
              if (!result.isDone()) {
                // OK without TERMINAL breaks the contract; treat it like a dropped stream.
                if (!progressed && failures >= MAX_RESUMES) {
                  result.completeExceptionally(
                      Status.UNAVAILABLE
                          .withDescription("watch stream ended before its terminal event")
                          .asRuntimeException());
                } else {
                  resume(progressed);
                }
              }
            }

            private void resume(boolean progressed) {
              Duration wait = progressed ? INITIAL_BACKOFF : backoff;
              int nextFailures = progressed ? 1 : failures + 1;
              Duration nextBackoff =
                  wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
              Executor later =
                  CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS);
              later.execute(() -> start(nextBackoff, nextFailures));
            }
          });
    }
  }

  private static void sleep(Duration backoff, Deadline deadline) {
    long nanos = backoff.toNanos();
    if (deadline != null) {
      long left = deadline.timeRemaining(TimeUnit.NANOSECONDS);
      if (left <= 0) {
        throw Status.DEADLINE_EXCEEDED.withDescription("watch deadline passed").asRuntimeException();
      }
      nanos = Math.min(nanos, left);
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").withCause(e).asRuntimeException();
    }
  }

  /** Shuts the channel down (only a client from {@link Builder#build()} owns one). */
  @Override
  public void close() {
    if (!ownsChannel) {
      return;
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Configures and builds a {@link McGatewayClient}. */
  public static final class Builder {
    private final String target;
    private String token;
    private boolean plaintext;
    private File trustCertificates;
    private Map<String, ?> serviceConfig;
    private Duration timeout;

    private Builder(String target) {
      if (target == null || target.isEmpty()) {
        throw new IllegalArgumentException("empty target");
      }
      this.target = target;
    }

    /** Sends {@code authorization: Bearer <token>} on every call. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /**
     * Uses plaintext instead of TLS, for a gateway on loopback or behind a trusted proxy. A token
     * is then sent in the clear, which the caller chose explicitly.
     */
    public Builder plaintext() {
      this.plaintext = true;
      return this;
    }

    /** Uses TLS trusting the CA certificates in this PEM file (default: the system's roots). */
    public Builder trustCertificates(File pem) {
      this.trustCertificates = pem;
      this.plaintext = false;
      return this;
    }

    /** Replaces proto/'s service config (see {@link ServiceConfig#parse}). */
    public Builder serviceConfig(Map<String, ?> serviceConfig) {
      this.serviceConfig = serviceConfig;
      return this;
    }

    /** Gives every call this deadline instead of the service config's per-method timeouts. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Builds the client; the connection is made on the first call. */
    public McGatewayClient build() {
      ChannelCredentials creds;
      if (plaintext) {
        creds = InsecureChannelCredentials.create();
      } else if (trustCertificates != null) {
        try {
          creds = TlsChannelCredentials.newBuilder().trustManager(trustCertificates).build();
        } catch (IOException e) {
          throw new UncheckedIOException("reading " + trustCertificates, e);
        }
      } else {
        creds = TlsChannelCredentials.create();
      }
      ManagedChannel channel =
          Grpc.newChannelBuilder(target, creds)
              .defaultServiceConfig(serviceConfig != null ? serviceConfig : ServiceConfig.load())
              .enableRetry()
              .build();
      CallCredentials callCredentials =
          token == null || token.isEmpty() ? null : new BearerToken(token);
      return new McGatewayClient(channel, true, callCredentials, timeout);
    }
  }
}
