package com.mcgateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
  void builderRejectsEmptyTarget() {
    assertThrows(IllegalArgumentException.class, () -> McGatewayClient.builder(""));
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
                        .setReason("NoSuchObject")
                        .setDomain(GatewayErrors.DOMAIN)
                        .putMetadata("instance_id", "x1")
                        .build()))
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(2))
                        .build()))
            .build();
    StatusRuntimeException error = StatusProto.toStatusRuntimeException(status);
    assertEquals(Status.Code.NOT_FOUND, GatewayErrors.code(error));
    assertEquals("NoSuchObject", GatewayErrors.reason(error).orElseThrow());
    assertEquals("x1", GatewayErrors.metadata(error).get("instance_id"));
    assertEquals(Duration.ofSeconds(2), GatewayErrors.retryDelay(error).orElseThrow());

    StatusRuntimeException plain = Status.INTERNAL.asRuntimeException();
    assertTrue(GatewayErrors.reason(plain).isEmpty());
    assertTrue(GatewayErrors.reason(new IllegalStateException()).isEmpty());
    assertTrue(GatewayErrors.metadata(plain).isEmpty());
  }
}
