package com.mcgateway.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RequestInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the rich error details the gateway attaches to its errors: {@code google.rpc.ErrorInfo}
 * (domain {@value #DOMAIN}, an UPPER_SNAKE_CASE reason the API owns such as {@code
 * INSTANCE_NOT_FOUND}, and MaxCompute's own error code in metadata {@value #MAXCOMPUTE_CODE_KEY})
 * {@code google.rpc.RetryInfo} and {@code google.rpc.RequestInfo} (the gateway's request id).
 *
 * <pre>{@code
 * } catch (StatusRuntimeException e) {
 *   if (GatewayErrors.Reason.INSTANCE_NOT_RUNNING.equals(GatewayErrors.reason(e).orElse(""))) {
 *     // already terminated; GatewayErrors.maxComputeCode(e) is "InvalidStateSetting"
 *   }
 * }
 * }</pre>
 */
public final class GatewayErrors {
  /** The ErrorInfo domain of the gateway's errors. */
  public static final String DOMAIN = "mcgateway.github.io";

  /** The ErrorInfo metadata key of MaxCompute's own error code, for example {@code NoSuchObject}. */
  public static final String MAXCOMPUTE_CODE_KEY = "maxcompute_code";

  /** The ErrorInfo metadata key of MaxCompute's request id of the failing upstream call. */
  public static final String REQUEST_ID_KEY = "upstream_request_id";

  /**
   * The ErrorInfo reasons of the v1 API (docs/api-design.md, "Error reasons"). The gateway may add
   * reasons: compare against these constants, and treat any other value like the status code
   * alone says.
   */
  public static final class Reason {
    private Reason() {}

    // Decisions of the gateway itself.
    /** The request is malformed (INVALID_ARGUMENT, with {@code google.rpc.BadRequest}). */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    /** The page token is malformed or belongs to other filters (INVALID_ARGUMENT). */
    public static final String INVALID_PAGE_TOKEN = "INVALID_PAGE_TOKEN";
    /** No or an unknown bearer token (UNAUTHENTICATED). */
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    /** The token may not use the project (PERMISSION_DENIED). */
    public static final String PROJECT_NOT_ALLOWED = "PROJECT_NOT_ALLOWED";
    /** The token was revoked. */
    public static final String TOKEN_REVOKED = "TOKEN_REVOKED";
    /** The instance has no task of that name (NOT_FOUND). */
    public static final String TASK_NOT_FOUND = "TASK_NOT_FOUND";
    /** ListSubInstances of an instance that is not an XFlow instance (FAILED_PRECONDITION). */
    public static final String NOT_XFLOW = "NOT_XFLOW";
    /** The caller's deadline ran out (DEADLINE_EXCEEDED). */
    public static final String DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED";
    /** The gateway is shutting down (UNAVAILABLE; reconnect). */
    public static final String SHUTTING_DOWN = "SHUTTING_DOWN";
    /** A stream reached the gateway's maximum age (UNAVAILABLE; reconnect). */
    public static final String MAX_STREAM_AGE = "MAX_STREAM_AGE";
    /** A per-caller limit refused the call (RESOURCE_EXHAUSTED). */
    public static final String CALLER_LIMIT = "CALLER_LIMIT";
    /** A gateway-wide limit refused the call (RESOURCE_EXHAUSTED). */
    public static final String GATEWAY_LIMIT = "GATEWAY_LIMIT";
    /** The gateway's rate limit refused the call (RESOURCE_EXHAUSTED). */
    public static final String GATEWAY_RATE_LIMITED = "GATEWAY_RATE_LIMITED";
    /** A gateway bug (INTERNAL). */
    public static final String INTERNAL = "INTERNAL";

    // MaxCompute's answers; metadata "maxcompute_code" holds MaxCompute's code.
    /** MaxCompute does not know the instance ({@code NoSuchObject}/{@code NoSuchInstance}). */
    public static final String INSTANCE_NOT_FOUND = "INSTANCE_NOT_FOUND";
    /** MaxCompute does not know the project ({@code NoSuchProject}). */
    public static final String PROJECT_NOT_FOUND = "PROJECT_NOT_FOUND";
    /** A stop of an instance that is not running ({@code InvalidStateSetting}). */
    public static final String INSTANCE_NOT_RUNNING = "INSTANCE_NOT_RUNNING";
    /** Another not-found answer of MaxCompute (NOT_FOUND). */
    public static final String UPSTREAM_NOT_FOUND = "UPSTREAM_NOT_FOUND";
    /** MaxCompute: already exists (ALREADY_EXISTS). */
    public static final String UPSTREAM_ALREADY_EXISTS = "UPSTREAM_ALREADY_EXISTS";
    /** MaxCompute: invalid argument (INVALID_ARGUMENT). */
    public static final String UPSTREAM_INVALID_ARGUMENT = "UPSTREAM_INVALID_ARGUMENT";
    /** MaxCompute: wrong state (FAILED_PRECONDITION). */
    public static final String UPSTREAM_FAILED_PRECONDITION = "UPSTREAM_FAILED_PRECONDITION";
    /** MaxCompute: conflict (ABORTED). */
    public static final String UPSTREAM_CONFLICT = "UPSTREAM_CONFLICT";
    /** MaxCompute: unsupported (UNIMPLEMENTED). */
    public static final String UPSTREAM_UNSUPPORTED = "UPSTREAM_UNSUPPORTED";
    /** MaxCompute rejected the gateway's own credentials (UNAUTHENTICATED). */
    public static final String UPSTREAM_CREDENTIALS_REJECTED = "UPSTREAM_CREDENTIALS_REJECTED";
    /** MaxCompute denied the gateway's account access (PERMISSION_DENIED). */
    public static final String UPSTREAM_PERMISSION_DENIED = "UPSTREAM_PERMISSION_DENIED";
    /** MaxCompute unreachable, failing, timing out or answering garbage (UNAVAILABLE). */
    public static final String UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE";
    /** MaxCompute throttled the gateway, for example {@code QPSExceeded} (RESOURCE_EXHAUSTED). */
    public static final String UPSTREAM_THROTTLED = "UPSTREAM_THROTTLED";
    /** MaxCompute: cancelled (CANCELLED). */
    public static final String UPSTREAM_CANCELLED = "UPSTREAM_CANCELLED";
    /** MaxCompute: corrupt data (DATA_LOSS). */
    public static final String UPSTREAM_DATA_LOSS = "UPSTREAM_DATA_LOSS";
    /** Any other MaxCompute error (UNKNOWN). */
    public static final String UPSTREAM_UNKNOWN = "UPSTREAM_UNKNOWN";
  }

  private GatewayErrors() {}

  /** The gRPC status code of a failed call ({@code UNKNOWN} for other exceptions). */
  public static Status.Code code(Throwable error) {
    return Status.fromThrowable(error).getCode();
  }

  /** The ErrorInfo detail of a gateway error, if it carries one. */
  public static Optional<ErrorInfo> errorInfo(Throwable error) {
    return detail(error, ErrorInfo.class);
  }

  /**
   * The ErrorInfo reason, one of {@link Reason} such as {@code INSTANCE_NOT_FOUND} or {@code
   * INSTANCE_NOT_RUNNING} (or a reason added later); empty when the error carries no ErrorInfo.
   */
  public static Optional<String> reason(Throwable error) {
    return errorInfo(error).map(ErrorInfo::getReason);
  }

  /**
   * MaxCompute's own error code (ErrorInfo metadata {@value #MAXCOMPUTE_CODE_KEY}), for example
   * {@code NoSuchObject}, {@code InvalidStateSetting} or {@code QPSExceeded}; empty when the error
   * did not come from a MaxCompute answer.
   */
  public static Optional<String> maxComputeCode(Throwable error) {
    return Optional.ofNullable(metadata(error).get(MAXCOMPUTE_CODE_KEY)).filter(s -> !s.isEmpty());
  }

  /**
   * The ErrorInfo metadata: {@code maxcompute_code}, {@code project}, {@code instance_id}, {@code
   * upstream_request_id} where known.
   */
  public static Map<String, String> metadata(Throwable error) {
    return errorInfo(error).map(ErrorInfo::getMetadataMap).orElse(Map.of());
  }

  /**
   * MaxCompute's request id of the upstream call that failed (ErrorInfo metadata {@value
   * #REQUEST_ID_KEY}), to quote to Alibaba Cloud support; empty when MaxCompute did not answer.
   */
  public static Optional<String> requestId(Throwable error) {
    return Optional.ofNullable(metadata(error).get(REQUEST_ID_KEY)).filter(s -> !s.isEmpty());
  }

  /**
   * The gateway's own id of the failed call ({@code google.rpc.RequestInfo}), to quote to the
   * gateway's operator; empty when there is none.
   */
  public static Optional<String> gatewayRequestId(Throwable error) {
    return detail(error, RequestInfo.class)
        .map(RequestInfo::getRequestId)
        .filter(s -> !s.isEmpty());
  }

  /** The delay of a RetryInfo detail, present when it is known when to retry. */
  public static Optional<Duration> retryDelay(Throwable error) {
    return detail(error, RetryInfo.class)
        .filter(RetryInfo::hasRetryDelay)
        .map(r -> Duration.ofSeconds(r.getRetryDelay().getSeconds(), r.getRetryDelay().getNanos()));
  }

  private static <T extends com.google.protobuf.Message> Optional<T> detail(Throwable error, Class<T> type) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    if (status == null) {
      return Optional.empty();
    }
    for (Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return Optional.of(any.unpack(type));
        } catch (InvalidProtocolBufferException e) {
          // A malformed detail is treated as absent: the status code still tells the caller enough.
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
