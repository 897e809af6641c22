package com.mcgateway.client;

import com.mcgateway.maxcompute.gateway.v1.ExecuteSqlRequest;
import com.mcgateway.maxcompute.gateway.v1.ExecuteSqlResponse;
import com.mcgateway.maxcompute.gateway.v1.GenerateLogviewAddressRequest;
import com.mcgateway.maxcompute.gateway.v1.GenerateLogviewAddressResponse;
import com.mcgateway.maxcompute.gateway.v1.GetInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.GetQueueingInfoRequest;
import com.mcgateway.maxcompute.gateway.v1.GetTaskProgressRequest;
import com.mcgateway.maxcompute.gateway.v1.GetTaskResultRequest;
import com.mcgateway.maxcompute.gateway.v1.GetTaskSummaryRequest;
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
import com.mcgateway.maxcompute.gateway.v1.QueueingInfo;
import com.mcgateway.maxcompute.gateway.v1.ReadInstanceResultRequest;
import com.mcgateway.maxcompute.gateway.v1.SqlJob;
import com.mcgateway.maxcompute.gateway.v1.StopInstanceRequest;
import com.mcgateway.maxcompute.gateway.v1.SubInstance;
import com.mcgateway.maxcompute.gateway.v1.SubmitSqlRequest;
import com.mcgateway.maxcompute.gateway.v1.SubmitXflowRequest;
import com.mcgateway.maxcompute.gateway.v1.Task;
import com.mcgateway.maxcompute.gateway.v1.TaskProgress;
import com.mcgateway.maxcompute.gateway.v1.TaskResult;
import com.mcgateway.maxcompute.gateway.v1.TaskSummary;
import com.mcgateway.maxcompute.gateway.v1.WaitInstanceRequest;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client of the mcgateway {@code InstanceService}, the gRPC gateway in front of MaxCompute job
 * instances. It follows the conventions every mcgateway client shares (clients/README.md).
 *
 * <p>{@link #builder()} reads {@code MCGW_TARGET} (default {@code 127.0.0.1:50051}), {@code
 * MCGW_TOKEN}, {@code MCGW_CA_CERT} and {@code MCGW_TLS} for whatever the builder is not told;
 * TLS is {@code auto} by default: plaintext only when the target's host is loopback. The channel
 * uses the service config of {@code proto/} (per-method timeouts, retries of idempotent reads).
 * {@link #blocking()} and {@link #async()} expose the generated stubs for every RPC; the helper
 * methods are the helper set of every client (list, get, stop, submit, wait, watch, result); the
 * ones that return "every" item walk all pages of a paged List RPC. Errors are {@link
 * StatusRuntimeException}s; {@link GatewayErrors} reads their ErrorInfo reason ({@code
 * INSTANCE_NOT_FOUND}, {@code INSTANCE_NOT_RUNNING}, ...), MaxCompute's own code and the request
 * ids.
 *
 * <p>Enums of the API ({@link Instance.State}, {@link Task.State}, the watch event types) print
 * their proto value names ({@code SNAPSHOT}, {@code RUNNING}) and may gain values: a newer
 * gateway's value reads as {@code UNRECOGNIZED}, which callers should treat as unspecified.
 *
 * <pre>{@code
 * try (McGatewayClient client = McGatewayClient.builder().build()) {
 *   Instance done = client.watchUntilDone("", id, event -> System.out.println(event.getEventType()));
 * }
 * }</pre>
 */
public final class McGatewayClient implements AutoCloseable {
  /** Environment variable of the gateway address, {@code host:port}. */
  public static final String ENV_TARGET = "MCGW_TARGET";
  /** Environment variable of the bearer token. */
  public static final String ENV_TOKEN = "MCGW_TOKEN";
  /** Environment variable of the PEM file of the CA(s) to trust; implies TLS. */
  public static final String ENV_CA_CERT = "MCGW_CA_CERT";
  /** Environment variable of the TLS mode: {@code auto}, {@code on} or {@code off}. */
  public static final String ENV_TLS = "MCGW_TLS";

  private static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /** Attempts of one submission (same request id) while the gateway answers UNAVAILABLE. */
  private static final int SUBMIT_ATTEMPTS = 4;
  private static final Duration SUBMIT_MAX_BACKOFF = Duration.ofSeconds(2);

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final CallCredentials credentials;
  private final Duration timeout;
  private final Target target;
  private final boolean tls;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  private McGatewayClient(
      ManagedChannel channel,
      boolean ownsChannel,
      CallCredentials credentials,
      Duration timeout,
      Target target,
      boolean tls,
      Duration initialBackoff,
      Duration maxBackoff) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.credentials = credentials;
    this.timeout = timeout;
    this.target = target;
    this.tls = tls;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  /**
   * Starts building a client for the target of {@code MCGW_TARGET}, or {@code 127.0.0.1:50051}
   * when it is unset.
   */
  public static Builder builder() {
    return new Builder(null);
  }

  /**
   * Starts building a client for {@code target}, {@code host:port} or {@code [v6]:port} ({@code
   * null} or empty: as {@link #builder()}). {@link Builder#build()} validates it.
   */
  public static Builder builder(String target) {
    return new Builder(target);
  }

  /** The validated address this client dials. */
  public Target target() {
    return target;
  }

  /** Whether this client uses TLS ({@code false}: plaintext). */
  public boolean usesTls() {
    return tls;
  }

  /**
   * A view of this client whose calls each get {@code timeout} as their deadline, overriding the
   * service config's per-method timeout. It shares the channel; closing it does nothing.
   */
  public McGatewayClient withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return new McGatewayClient(
        channel, false, credentials, timeout, target, tls, initialBackoff, maxBackoff);
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

  /**
   * The result text of one task ({@code TaskResult.content}: CSV with a header row for a SQL
   * select, the error message for a failed task). A {@code null} or empty task name means the
   * instance's first task ({@code AnonymousSQLTask} for SQL). An unknown task is NOT_FOUND with
   * reason {@code TASK_NOT_FOUND}. For the whole message use {@code blocking().getTaskResult}.
   */
  public String getTaskResult(String project, String instanceId, String taskName) {
    if (taskName != null && !taskName.isEmpty()) {
      return blocking()
          .getTaskResult(
              GetTaskResultRequest.newBuilder()
                  .setProject(project)
                  .setInstanceId(instanceId)
                  .setTaskName(taskName)
                  .build())
          .getContent();
    }
    ListTaskResultsResponse first =
        blocking()
            .listTaskResults(
                ListTaskResultsRequest.newBuilder()
                    .setProject(project)
                    .setInstanceId(instanceId)
                    .setPageSize(1)
                    .build());
    if (first.getTaskResultsCount() == 0) {
      throw Status.NOT_FOUND
          .withDescription("instance " + instanceId + " has no task results")
          .asRuntimeException();
    }
    return first.getTaskResults(0).getContent();
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
   * Submits SQL (MaxCompute's default settings and priority) and returns the new instance as
   * first read; see {@link #submitSql(String, SqlJob)}.
   */
  public Instance submitSql(String project, String query) {
    return submitSql(project, SqlJob.newBuilder().setQuery(query).build());
  }

  /**
   * Submits SQL with hints (and MaxCompute's default priority) and returns the new instance as
   * first read; see {@link #submitSql(String, SqlJob)}.
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
   * Waits until an instance terminates and returns it ({@code successful} set), calling
   * WaitInstance (which the gateway holds up to about 30 s) as often as needed. UNAVAILABLE is
   * ridden out as in {@link #watchUntilDone(String, String, Consumer)}; the whole wait is bounded
   * by this view's timeout (and the current gRPC {@code Context}'s deadline), when there is one.
   * Other errors are thrown.
   */
  public Instance waitUntilDone(String project, String instanceId) {
    WaitInstanceRequest request =
        WaitInstanceRequest.newBuilder().setProject(project).setInstanceId(instanceId).build();
    Deadline deadline = helperDeadline();
    Duration backoff = initialBackoff;
    while (true) {
      try {
        Instance inst = stub(deadline).waitInstance(request).getInstance();
        backoff = initialBackoff;
        if (inst.getState() == Instance.State.TERMINATED) {
          return inst;
        }
        continue;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw e;
        }
        pause(backoff, deadline, e);
      }
      backoff = doubled(backoff);
    }
  }

  /**
   * Follows an instance until it terminates, passing every event to {@code onEvent} (the first
   * of each stream is a full snapshot, the last is TERMINAL), and returns the final instance.
   * When a stream fails with UNAVAILABLE (a gateway restart, its maximum stream age, a gateway
   * that is down) or ends without TERMINAL, it reconnects after a jittered backoff (a random wait
   * below 0.1 s, doubling up to 5 s, back to 0.1 s after a stream that delivered events); the new
   * stream starts with a snapshot, so no state is missed (and one may be seen twice). Only the
   * deadline bounds the reconnecting: this view's timeout ({@link #withTimeout}) or the current
   * gRPC {@code Context}'s; when it passes, DEADLINE_EXCEEDED is thrown with the last
   * UNAVAILABLE error as its cause (without a deadline it keeps trying; an interrupt ends it with
   * CANCELLED). Other errors (NOT_FOUND, ...) and exceptions from {@code onEvent} end the watch
   * and are thrown as they are.
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
    return watchUntilDone(request, onEvent, helperDeadline());
  }

  private Instance watchUntilDone(
      WatchInstanceRequest request, Consumer<WatchInstanceResponse> onEvent, Deadline deadline) {
    Duration backoff = initialBackoff;
    while (true) {
      StreamAttempt attempt =
          streamAttempt(
              () -> stub(deadline).watchInstance(request),
              "watch",
              onEvent,
              WatchInstanceResponse::getEventType,
              WatchInstanceResponse::getInstance);
      if (attempt.done != null) {
        return attempt.done;
      }
      backoff = backOff(attempt, backoff, deadline);
    }
  }

  /**
   * Reads every row of an instance's result (its SQL task's) with ReadInstanceResult: see {@link
   * #readInstanceResult(ReadInstanceResultRequest)}.
   */
  public ResultReader readInstanceResult(String project, String instanceId) {
    return readInstanceResult(
        ReadInstanceResultRequest.newBuilder().setProject(project).setInstanceId(instanceId).build());
  }

  /**
   * Opens a read of an instance's result rows with a full request ({@code task_name}, {@code
   * columns}, {@code offset}, {@code limit}) and returns once the schema and row counts arrived.
   * The {@link ResultReader} iterates typed rows and resumes at the next row after UNAVAILABLE
   * (jittered backoff as the watch), bounded by this view's timeout ({@link #withTimeout}) or the
   * current gRPC {@code Context}'s deadline; when it passes, DEADLINE_EXCEEDED is thrown with the
   * last UNAVAILABLE error as its cause. Other errors are thrown: NOT_FOUND, INVALID_ARGUMENT (an
   * unknown column, a negative offset), FAILED_PRECONDITION (an instance that is running, failed,
   * or has no table result). Close the reader (try-with-resources) to end an unfinished read.
   */
  public ResultReader readInstanceResult(ReadInstanceResultRequest request) {
    Deadline deadline = helperDeadline();
    ReadInstanceResultRequest rows =
        request.toBuilder().setFormat(ReadInstanceResultRequest.Format.ROWS).build();
    return new ResultReader(
        rows,
        r -> stub(deadline).readInstanceResult(r),
        (backoff, last) -> {
          Duration wait = backoff == null ? initialBackoff : backoff;
          pause(wait, deadline, last);
          return doubled(wait);
        });
  }

  /** The outcome of one stream attempt: the final instance, or the UNAVAILABLE to reconnect on. */
  private static final class StreamAttempt {
    final Instance done;
    final StatusRuntimeException failure;
    final boolean progressed;

    StreamAttempt(Instance done, StatusRuntimeException failure, boolean progressed) {
      this.done = done;
      this.failure = failure;
      this.progressed = progressed;
    }
  }

  /**
   * Runs one stream attempt: starts the call, passes every event to {@code onEvent}, and returns
   * the instance of its TERMINAL event, or the UNAVAILABLE failure to reconnect on (a stream that
   * ends without TERMINAL counts as one; {@code label} names it). Other errors and exceptions from
   * {@code onEvent} are thrown as they are.
   */
  private <E> StreamAttempt streamAttempt(
      Supplier<Iterator<E>> start,
      String label,
      Consumer<E> onEvent,
      Function<E, WatchInstanceResponse.EventType> typeOf,
      Function<E, Instance> instanceOf) {
    boolean progressed = false;
    StatusRuntimeException failure;
    // A cancellable context so leaving the loop early (callback exception) cancels the call.
    try (Context.CancellableContext ctx = Context.current().withCancellation()) {
      Context previous = ctx.attach();
      try {
        Iterator<E> events = start.get();
        while (events.hasNext()) {
          E event = events.next();
          progressed = true;
          try {
            onEvent.accept(event);
          } catch (RuntimeException e) {
            throw new CallbackFailure(e);
          }
          if (typeOf.apply(event) == WatchInstanceResponse.EventType.TERMINAL) {
            return new StreamAttempt(instanceOf.apply(event), null, true);
          }
        }
        // OK without TERMINAL breaks the contract; treat it like a dropped stream.
        failure =
            Status.UNAVAILABLE
                .withDescription("the " + label + " stream ended before its terminal event")
                .asRuntimeException();
      } catch (CallbackFailure e) {
        throw e.callbackException;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw e;
        }
        failure = e;
      } finally {
        ctx.detach(previous);
      }
    }
    return new StreamAttempt(null, failure, progressed);
  }

  /**
   * Waits before reconnecting after a failed attempt (from the initial backoff again when it
   * delivered events) and returns the next backoff.
   */
  private Duration backOff(StreamAttempt attempt, Duration backoff, Deadline deadline) {
    Duration wait = attempt.progressed ? initialBackoff : backoff;
    pause(wait, deadline, attempt.failure);
    return doubled(wait);
  }

  /**
   * Submits a SQL job with ExecuteSql and follows it until it terminates, passing every event to
   * {@code onEvent} (the first names the instance; the last is TERMINAL), and returns the final
   * instance. The call carries a new random UUID4 request id. See {@link
   * #executeSql(ExecuteSqlRequest, Consumer)}.
   */
  public Instance executeSql(String project, SqlJob job, Consumer<ExecuteSqlResponse> onEvent) {
    return executeSql(
        ExecuteSqlRequest.newBuilder().setProject(project).setJob(job).build(), onEvent);
  }

  /**
   * {@link #executeSql(String, SqlJob, Consumer)} with a full request, for {@code
   * stop_on_cancel}, {@code omit_progress}, {@code heartbeat_interval} or your own {@code
   * request_id} (an empty one is replaced by a new random UUID4). With {@code stop_on_cancel},
   * the gateway stops the instance this call created when the call is cancelled before it
   * terminates: an exception from {@code onEvent}, the cancellation of the current gRPC {@code
   * Context}, or the deadline. On UNAVAILABLE (or a stream that ends without TERMINAL) it never
   * submits again: after the first event it follows the instance that event named with
   * WatchInstance, as {@link #watchUntilDone(WatchInstanceRequest, Consumer)} does ({@code
   * onEvent} then sees a new SNAPSHOT, with {@code reattached} as the first event said, and
   * {@code stop_on_cancel} no longer applies); before any event it calls ExecuteSql again with
   * the same request id, which the gateway answers with the same instance. Reconnects back off
   * and are bounded like the watch's; other errors and exceptions from {@code onEvent} are
   * thrown as they are.
   */
  public Instance executeSql(ExecuteSqlRequest request, Consumer<ExecuteSqlResponse> onEvent) {
    ExecuteSqlRequest req =
        request.getRequestId().isEmpty()
            ? request.toBuilder().setRequestId(newRequestId()).build()
            : request;
    Deadline deadline = helperDeadline();
    Duration backoff = initialBackoff;
    ExecuteSqlResponse[] firstEvent = new ExecuteSqlResponse[1];
    while (true) {
      StreamAttempt attempt =
          streamAttempt(
              () -> stub(deadline).executeSql(req),
              "ExecuteSql",
              event -> {
                if (firstEvent[0] == null) {
                  firstEvent[0] = event;
                }
                onEvent.accept(event);
              },
              ExecuteSqlResponse::getEventType,
              ExecuteSqlResponse::getInstance);
      if (attempt.done != null) {
        return attempt.done;
      }
      backoff = backOff(attempt, backoff, deadline);
      ExecuteSqlResponse first = firstEvent[0];
      if (first != null) {
        WatchInstanceRequest.Builder watch =
            WatchInstanceRequest.newBuilder()
                .setProject(req.getProject())
                .setInstanceId(first.getInstance().getInstanceId())
                .setOmitProgress(req.getOmitProgress());
        if (req.hasHeartbeatInterval()) {
          watch.setHeartbeatInterval(req.getHeartbeatInterval());
        }
        boolean reattached = first.getReattached();
        return watchUntilDone(
            watch.build(), e -> onEvent.accept(asExecuteEvent(e, reattached)), deadline);
      }
    }
  }

  /** A WatchInstance event of a resumed ExecuteSql as an ExecuteSql event (same fields). */
  private static ExecuteSqlResponse asExecuteEvent(WatchInstanceResponse e, boolean reattached) {
    try {
      return ExecuteSqlResponse.parseFrom(e.toByteString()).toBuilder()
          .setReattached(reattached)
          .build();
    } catch (com.google.protobuf.InvalidProtocolBufferException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /**
   * The summary of one task: its text, its JSON and what it cost ({@code hasCost()} is false when
   * the summary has none). An empty task name means the instance's first task ({@code
   * AnonymousSQLTask} for SQL). An unknown task is NOT_FOUND (reason {@code TASK_NOT_FOUND}).
   */
  public TaskSummary getTaskSummary(String project, String instanceId, String taskName) {
    String task = taskName;
    if (task == null || task.isEmpty()) {
      List<Task> tasks =
          blocking()
              .listTasks(
                  ListTasksRequest.newBuilder()
                      .setProject(project)
                      .setInstanceId(instanceId)
                      .setPageSize(1)
                      .build())
              .getTasksList();
      if (tasks.isEmpty()) {
        throw Status.NOT_FOUND
            .withDescription("instance " + instanceId + " has no tasks")
            .asRuntimeException();
      }
      task = tasks.get(0).getName();
    }
    return blocking()
        .getTaskSummary(
            GetTaskSummaryRequest.newBuilder()
                .setProject(project)
                .setInstanceId(instanceId)
                .setTaskName(task)
                .build());
  }

  /**
   * Where an instance stands in MaxCompute's job queue: its priority ({@code hasPriority()}), its
   * position while it waits, its state and progress. NOT_FOUND (reason {@code
   * INSTANCE_NOT_FOUND}) when absent.
   */
  public QueueingInfo getQueueingInfo(String project, String instanceId) {
    return blocking()
        .getQueueingInfo(
            GetQueueingInfoRequest.newBuilder()
                .setProject(project)
                .setInstanceId(instanceId)
                .build());
  }

  /** Carries an exception of the caller's callback past the stream's error handling. */
  private static final class CallbackFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient RuntimeException callbackException;

    CallbackFailure(RuntimeException e) {
      super(null, null, false, false);
      this.callbackException = e;
    }
  }

  /**
   * The deadline of a helper that calls more than once (watch, wait): this view's timeout from
   * now, or the current gRPC Context's deadline, whichever is sooner; {@code null} for none.
   */
  private Deadline helperDeadline() {
    Deadline own = timeout == null ? null : Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
    Deadline context = Context.current().getDeadline();
    if (own == null) {
      return context;
    }
    return context == null ? own : own.minimum(context);
  }

  /** The blocking stub with the token and the given deadline (none when null). */
  private InstanceServiceGrpc.InstanceServiceBlockingStub stub(Deadline deadline) {
    InstanceServiceGrpc.InstanceServiceBlockingStub stub =
        InstanceServiceGrpc.newBlockingStub(channel);
    if (credentials != null) {
      stub = stub.withCallCredentials(credentials);
    }
    return deadline == null ? stub : stub.withDeadline(deadline);
  }

  private Duration doubled(Duration backoff) {
    Duration next = backoff.multipliedBy(2);
    return next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
  }

  /** A random wait in [0, backoff), the reconnect jitter. */
  private static long jittered(Duration backoff) {
    return (long) (ThreadLocalRandom.current().nextDouble() * backoff.toNanos());
  }

  /** The error that ends a helper whose deadline passed while it was reconnecting. */
  private static StatusRuntimeException gaveUp(StatusRuntimeException last) {
    return Status.DEADLINE_EXCEEDED
        .withDescription("gave up reconnecting: the deadline passed; last error: " + describe(last))
        .withCause(last)
        .asRuntimeException();
  }

  private static String describe(StatusRuntimeException e) {
    Status status = e.getStatus();
    return status.getCode()
        + (status.getDescription() == null ? "" : ": " + status.getDescription());
  }

  /**
   * Sleeps a jittered backoff before the next attempt after {@code last}, then asks the channel to
   * reconnect at once (grpc-java waits up to 2 minutes between attempts on its own). Throws
   * DEADLINE_EXCEEDED when the deadline passes first, CANCELLED on interrupt or when the current
   * Context is cancelled.
   */
  private void pause(Duration backoff, Deadline deadline, StatusRuntimeException last) {
    long nanos = jittered(backoff);
    if (deadline != null) {
      long left = deadline.timeRemaining(TimeUnit.NANOSECONDS);
      if (left <= nanos) {
        sleepNanos(Math.max(left, 0));
        throw gaveUp(last);
      }
    }
    sleepNanos(nanos);
    if (Context.current().isCancelled()) {
      throw Status.CANCELLED
          .withDescription("the watch's context was cancelled")
          .withCause(last)
          .asRuntimeException();
    }
    channel.resetConnectBackoff();
  }

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").withCause(e).asRuntimeException();
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
    CompletableFuture<Instance> result = new CompletableFuture<>();
    new AsyncWatch(request, helperDeadline(), onEvent, result).start(initialBackoff);
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

    /** Opens a stream; {@code backoff} is the bound of the wait before the next one. */
    void start(Duration backoff) {
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
      try {
        stub.watchInstance(request, observer(backoff));
      } catch (IllegalStateException e) {
        // The watch ended (cancelled by the caller, or its deadline) while this stream was being
        // started: beforeStart cancelled the call, and sending the request refuses.
        if (!result.isDone()) {
          result.completeExceptionally(e);
        }
      }
    }

    private ClientResponseObserver<WatchInstanceRequest, WatchInstanceResponse> observer(
        Duration backoff) {
      return new ClientResponseObserver<WatchInstanceRequest, WatchInstanceResponse>() {
        private boolean progressed;

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchInstanceRequest> call) {
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
          if (Status.fromThrowable(error).getCode() != Status.Code.UNAVAILABLE) {
            result.completeExceptionally(error);
            return;
          }
          resume(
              error instanceof StatusRuntimeException sre
                  ? sre
                  : Status.fromThrowable(error).asRuntimeException());
        }

        @Override
        public void onCompleted() {
          if (!result.isDone()) {
            // OK without TERMINAL breaks the contract; treat it like a dropped stream.
            resume(
                Status.UNAVAILABLE
                    .withDescription("the watch stream ended before its terminal event")
                    .asRuntimeException());
          }
        }

        private void resume(StatusRuntimeException last) {
          Duration bound = progressed ? initialBackoff : backoff;
          long wait = jittered(bound);
          if (deadline != null && deadline.timeRemaining(TimeUnit.NANOSECONDS) <= wait) {
            Executor atDeadline =
                CompletableFuture.delayedExecutor(
                    Math.max(deadline.timeRemaining(TimeUnit.NANOSECONDS), 0),
                    TimeUnit.NANOSECONDS);
            atDeadline.execute(() -> result.completeExceptionally(gaveUp(last)));
            return;
          }
          Executor later = CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS);
          later.execute(
              () -> {
                channel.resetConnectBackoff();
                start(doubled(bound));
              });
        }
      };
    }
  }

  private static void sleep(Duration backoff, Deadline deadline) {
    long nanos = backoff.toNanos();
    if (deadline != null) {
      long left = deadline.timeRemaining(TimeUnit.NANOSECONDS);
      if (left <= 0) {
        throw Status.DEADLINE_EXCEEDED.withDescription("deadline passed").asRuntimeException();
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

  /**
   * Configures and builds a {@link McGatewayClient}. A setting given here overrides its
   * environment variable ({@code MCGW_TARGET}, {@code MCGW_TOKEN}, {@code MCGW_CA_CERT}, {@code
   * MCGW_TLS}); {@link #build()} reads the variables of the settings not given.
   */
  public static final class Builder {
    private final String target;
    private String token;
    private boolean tokenSet;
    private TlsMode tlsMode;
    private String tlsModeSource;
    private File trustCertificates;
    private Map<String, String> environment = System.getenv();
    private Map<String, ?> serviceConfig;
    private Duration timeout;
    private Duration initialBackoff = INITIAL_BACKOFF;
    private Duration maxBackoff = MAX_BACKOFF;

    private Builder(String target) {
      this.target = target;
    }

    /**
     * Sends {@code authorization: Bearer <token>} on every call, instead of {@code MCGW_TOKEN};
     * {@code null} or empty sends none.
     */
    public Builder token(String token) {
      this.token = token;
      this.tokenSet = true;
      return this;
    }

    /**
     * When to use TLS, instead of {@code MCGW_TLS}: {@link TlsMode#AUTO} (the default: plaintext
     * only when the target's host is loopback), {@link TlsMode#ON} or {@link TlsMode#OFF}.
     */
    public Builder tls(TlsMode mode) {
      this.tlsMode = Objects.requireNonNull(mode, "mode");
      this.tlsModeSource = "tls(" + mode + ")";
      return this;
    }

    /**
     * Plaintext whatever the target ({@code tls(TlsMode.OFF)}), for a gateway behind a trusted
     * proxy; {@code MCGW_CA_CERT} is then not read. A token is sent in the clear, which the
     * caller chose explicitly.
     */
    public Builder plaintext() {
      this.tlsMode = TlsMode.OFF;
      this.tlsModeSource = "plaintext()";
      return this;
    }

    /**
     * Trusts the CA certificates in this PEM file instead of the system's roots (instead of
     * {@code MCGW_CA_CERT}). A CA means TLS, also on loopback.
     */
    public Builder trustCertificates(File pem) {
      this.trustCertificates = pem;
      return this;
    }

    /**
     * Reads the {@code MCGW_*} variables from this map instead of the process environment; an
     * empty map reads none.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
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

    /** The reconnect backoff of watch and wait (0.1 s doubling to 5 s), shortened by tests. */
    Builder reconnectBackoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    private String env(String name) {
      String value = environment.get(name);
      return value == null || value.isEmpty() ? null : value;
    }

    /**
     * Builds the client; the connection is made on the first call. Throws {@link
     * IllegalArgumentException} for an invalid target (with a message that says what to type
     * instead), an {@code MCGW_TLS} value other than auto, on or off, or a CA with TLS off, and
     * {@link UncheckedIOException} when the CA file cannot be read.
     */
    public McGatewayClient build() {
      String address = target == null || target.isEmpty() ? env(ENV_TARGET) : target;
      Target parsed = Target.parse(address == null ? Target.DEFAULT : address);
      TlsMode mode = tlsMode;
      String modeSource = tlsModeSource;
      boolean explicitOff = tlsMode == TlsMode.OFF;
      if (mode == null) {
        String value = env(ENV_TLS);
        if (value == null) {
          mode = TlsMode.AUTO;
        } else {
          try {
            mode = TlsMode.parse(value);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                ENV_TLS + "=\"" + value + "\": want auto, on or off", e);
          }
          modeSource = ENV_TLS + "=" + value;
        }
      }
      File ca = trustCertificates;
      String caSource = "trustCertificates";
      if (ca == null && !explicitOff && env(ENV_CA_CERT) != null) {
        ca = new File(env(ENV_CA_CERT));
        caSource = ENV_CA_CERT;
      }
      if (mode == TlsMode.OFF && ca != null) {
        throw new IllegalArgumentException(
            "a CA certificate (" + caSource + ") means TLS, but TLS is off (" + modeSource + ")");
      }
      boolean useTls =
          mode == TlsMode.ON || (mode == TlsMode.AUTO && (!parsed.isLoopback() || ca != null));
      ChannelCredentials creds;
      if (!useTls) {
        creds = InsecureChannelCredentials.create();
      } else if (ca != null) {
        try {
          creds = TlsChannelCredentials.newBuilder().trustManager(ca).build();
        } catch (IOException | RuntimeException e) {
          throw new UncheckedIOException(
              "reading the CA certificate " + ca + " (" + caSource + ")",
              e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
      } else {
        creds = TlsChannelCredentials.create();
      }
      String bearer = tokenSet ? token : env(ENV_TOKEN);
      ManagedChannel channel =
          Grpc.newChannelBuilder(parsed.toString(), creds)
              .defaultServiceConfig(serviceConfig != null ? serviceConfig : ServiceConfig.load())
              .enableRetry()
              .build();
      CallCredentials callCredentials =
          bearer == null || bearer.isEmpty() ? null : new BearerToken(bearer);
      return new McGatewayClient(
          channel, true, callCredentials, timeout, parsed, useTls, initialBackoff, maxBackoff);
    }
  }
}
