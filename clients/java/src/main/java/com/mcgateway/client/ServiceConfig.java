package com.mcgateway.client;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The gRPC service config of proto/maxcompute/gateway/v1/service_config.json (per-method
 * timeouts and retries of idempotent reads), which the build puts on the classpath.
 */
public final class ServiceConfig {
  /** Classpath location of the service config. */
  public static final String RESOURCE = "maxcompute/gateway/v1/service_config.json";

  private ServiceConfig() {}

  /** The service config as the map grpc-java's {@code defaultServiceConfig} takes. */
  public static Map<String, ?> load() {
    try (InputStream in = ServiceConfig.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        return parse(reader);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }

  /** Parses a service config JSON document; numbers become doubles, as grpc-java expects. */
  public static Map<String, ?> parse(Reader json) {
    Map<String, Object> map = new Gson().fromJson(json, new TypeToken<Map<String, Object>>() {}.getType());
    if (map == null || !map.containsKey("methodConfig")) {
      throw new IllegalArgumentException("service config has no methodConfig");
    }
    return map;
  }
}
