package com.mcgateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RequestInfo;
import com.google.rpc.RetryInfo;
import com.mcgateway.maxcompute.gateway.v1.InstanceServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClientUnitTest {
  @Test
  void serviceConfigIsProtoOwnAndParses() throws Exception {
    Map<String, ?> config = ServiceConfig.load();
    List<?> methods = (List<?>) config.get("methodConfig");
    assertFalse(methods.isEmpty());
    String onClasspath;
    try (var in = ServiceConfig.class.getClassLoader().getResourceAsStream(ServiceConfig.RESOURCE)) {
      onClasspath = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String inProto =
        Files.readString(Path.of("..", "..", "proto", ServiceConfig.RESOURCE));
    assertEquals(inProto, onClasspath, "the classpath copy must be proto/'s file");
  }

  @Test
  void serviceConfigWithoutMethodsIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ServiceConfig.parse(new StringReader("{}")));
  }

  @Test
  void builderRejectsATargetWithoutPort() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> McGatewayClient.builder("127.0.0.1").environment(Map.of()).build());
    assertEquals(
        "invalid target \"127.0.0.1\": missing port; give host:port, for example 127.0.0.1:443",
        error.getMessage());
  }

  @Test
  void errorDetailsAreExposed() {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.NOT_FOUND_VALUE)
            .setMessage("instance not found")
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setReason("INSTANCE_NOT_FOUND")
                        .setDomain(GatewayErrors.DOMAIN)
                        .putMetadata("instance_id", "x1")
                        .putMetadata("maxcompute_code", "NoSuchObject")
                        .putMetadata("upstream_request_id", "5F1A")
                        .build()))
            .addDetails(Any.pack(RequestInfo.newBuilder().setRequestId("gw-42").build()))
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(2))
                        .build()))
            .build();
    StatusRuntimeException error = StatusProto.toStatusRuntimeException(status);
    assertEquals(Status.Code.NOT_FOUND, GatewayErrors.code(error));
    assertEquals("mcgateway.github.io", GatewayErrors.errorInfo(error).orElseThrow().getDomain());
    assertEquals(GatewayErrors.Reason.INSTANCE_NOT_FOUND, GatewayErrors.reason(error).orElseThrow());
    assertEquals("NoSuchObject", GatewayErrors.maxComputeCode(error).orElseThrow());
    assertEquals("x1", GatewayErrors.metadata(error).get("instance_id"));
    assertEquals("5F1A", GatewayErrors.requestId(error).orElseThrow());
    assertEquals("gw-42", GatewayErrors.gatewayRequestId(error).orElseThrow());
    assertEquals(Duration.ofSeconds(2), GatewayErrors.retryDelay(error).orElseThrow());

    StatusRuntimeException plain = Status.INTERNAL.asRuntimeException();
    assertTrue(GatewayErrors.reason(plain).isEmpty());
    assertTrue(GatewayErrors.reason(new IllegalStateException()).isEmpty());
    assertTrue(GatewayErrors.metadata(plain).isEmpty());
    assertTrue(GatewayErrors.maxComputeCode(plain).isEmpty());
    assertTrue(GatewayErrors.requestId(plain).isEmpty());
    assertTrue(GatewayErrors.gatewayRequestId(plain).isEmpty());

    // A gateway decision carries no MaxCompute code.
    StatusRuntimeException own =
        StatusProto.toStatusRuntimeException(
            com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .addDetails(
                    Any.pack(
                        ErrorInfo.newBuilder()
                            .setReason("INVALID_REQUEST")
                            .setDomain(GatewayErrors.DOMAIN)
                            .build()))
                .build());
    assertEquals(GatewayErrors.Reason.INVALID_REQUEST, GatewayErrors.reason(own).orElseThrow());
    assertTrue(GatewayErrors.maxComputeCode(own).isEmpty());
  }

  @Test
  void serviceConfigNamesOnlyMethodsOfTheService() {
    Set<String> methods =
        InstanceServiceGrpc.getServiceDescriptor().getMethods().stream()
            .map(m -> m.getBareMethodName())
            .collect(Collectors.toSet());
    Set<String> configured = new HashSet<>();
    for (Object entry : (List<?>) ServiceConfig.load().get("methodConfig")) {
      for (Object name : (List<?>) ((Map<?, ?>) entry).get("name")) {
        Map<?, ?> n = (Map<?, ?>) name;
        assertEquals(InstanceServiceGrpc.SERVICE_NAME, n.get("service"));
        assertTrue(configured.add((String) n.get("method")), "configured twice: " + n);
      }
    }
    assertTrue(methods.containsAll(configured), "unknown methods in the config: " + configured);
    // Every unary RPC has a timeout; the server streams are long-lived and have none.
    Set<String> unary =
        InstanceServiceGrpc.getServiceDescriptor().getMethods().stream()
            .filter(m -> m.getType() == io.grpc.MethodDescriptor.MethodType.UNARY)
            .map(m -> m.getBareMethodName())
            .collect(Collectors.toSet());
    Set<String> unconfigured = new HashSet<>(unary);
    unconfigured.removeAll(configured);
    assertEquals(Set.of(), unconfigured, "unary RPCs without a timeout");
    assertTrue(methods.containsAll(Set.of("WatchInstance", "WatchInstances")));
  }

  @Test
  void requestIdsAreUuid4() {
    String id = McGatewayClient.newRequestId();
    assertEquals(4, UUID.fromString(id).version());
    assertEquals(id, UUID.fromString(id).toString(), "canonical lower-case form");
    assertNotEquals(id, McGatewayClient.newRequestId());
  }

  @Test
  void durationsKeepOneSign() {
    assertEquals(7200, McGatewayClient.toProto(Duration.ofHours(2)).getSeconds());
    com.google.protobuf.Duration negative = McGatewayClient.toProto(Duration.ofMillis(-1500));
    assertEquals(-1, negative.getSeconds());
    assertEquals(-500_000_000, negative.getNanos());
  }
}
