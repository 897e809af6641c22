package com.mcgateway.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the rich error details the gateway attaches to its errors: {@code google.rpc.ErrorInfo}
 * (reason = the MaxCompute error code such as {@code NoSuchObject}, or a gateway reason) and
 * {@code google.rpc.RetryInfo}.
 */
public final class GatewayErrors {
  /** The ErrorInfo domain of the gateway's errors. */
  public static final String DOMAIN = "mcgateway";

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
   * The ErrorInfo reason, for example {@code NoSuchObject} or {@code InvalidStateSetting}; empty
   * when the error carries no ErrorInfo.
   */
  public static Optional<String> reason(Throwable error) {
    return errorInfo(error).map(ErrorInfo::getReason);
  }

  /** The ErrorInfo metadata: project, instance_id, upstream_request_id where known. */
  public static Map<String, String> metadata(Throwable error) {
    return errorInfo(error).map(ErrorInfo::getMetadataMap).orElse(Map.of());
  }

  /** The delay of a RetryInfo detail, present when MaxCompute said when to retry. */
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
