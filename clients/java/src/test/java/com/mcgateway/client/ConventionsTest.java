package com.mcgateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection conventions of clients/README.md: target validation (with the documented
 * messages), the TLS decision and the environment variables.
 */
class ConventionsTest {
  /** A PEM file of a real CA certificate: the first of the JDK's trusted roots. */
  private static File writeCa(Path dir) throws Exception {
    javax.net.ssl.TrustManagerFactory factory =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    factory.init((java.security.KeyStore) null);
    javax.net.ssl.X509TrustManager trust =
        (javax.net.ssl.X509TrustManager) factory.getTrustManagers()[0];
    byte[] der = trust.getAcceptedIssuers()[0].getEncoded();
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
            + "\n-----END CERTIFICATE-----\n";
    Path file = dir.resolve("ca.pem");
    Files.writeString(file, pem);
    return file.toFile();
  }

  private static final Pattern ROW =
      Pattern.compile("^\\| (`[^|]+`) \\| `(invalid target [^|]+)` \\|$");
  private static final Pattern GIVEN = Pattern.compile("`([^`]+)`");

  @Test
  void targetsAreRefusedWithTheDocumentedMessages() throws Exception {
    int rows = 0;
    for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
      Matcher row = ROW.matcher(line);
      if (!row.matches()) {
        continue;
      }
      rows++;
      List<String> given = new ArrayList<>();
      Matcher g = GIVEN.matcher(row.group(1));
      while (g.find()) {
        given.add(g.group(1));
      }
      for (int i = 0; i < given.size(); i++) {
        String target = given.get(i);
        IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> Target.parse(target), target);
        if (i == 0) {
          assertEquals(row.group(2), error.getMessage(), target);
        }
      }
    }
    assertTrue(rows >= 6, "rows of the target table in clients/README.md: " + rows);
  }

  @Test
  void targetsInBothFormsAreAccepted() {
    for (String given :
        List.of("127.0.0.1:50051", "localhost:1", "gw.example.com:443", "gw_1:65535", "[::1]:50051", "[fd00::2]:443")) {
      assertEquals(given, Target.parse(given).toString());
    }
    assertEquals("::1", Target.parse("[::1]:7").host());
    assertEquals(7, Target.parse("[::1]:7").port());
  }

  @Test
  void loopbackIsJudgedAsWritten() {
    for (String host : List.of("localhost", "LocalHost", "127.0.0.1", "127.255.0.9", "[::1]")) {
      assertTrue(Target.parse(host + ":1").isLoopback(), host);
    }
    for (String host : List.of("vm", "10.0.0.1", "128.0.0.1", "[fd00::2]", "localhost.example.com")) {
      assertFalse(Target.parse(host + ":1").isLoopback(), host);
    }
  }

  private static boolean tls(String target, Map<String, String> env) {
    try (McGatewayClient c = McGatewayClient.builder(target).environment(env).build()) {
      return c.usesTls();
    }
  }

  @Test
  void tlsIsAutoByDefault(@TempDir Path dir) throws Exception {
    File ca = writeCa(dir);
    assertFalse(tls("127.0.0.1:1", Map.of()));
    assertFalse(tls("127.9.9.9:1", Map.of()));
    assertFalse(tls("localhost:1", Map.of()));
    assertFalse(tls("[::1]:1", Map.of()));
    assertTrue(tls("gw.example.com:443", Map.of()));
    assertTrue(tls("vm:1", Map.of()), "a name that resolves to loopback is still a name");
    assertTrue(tls("10.0.0.1:1", Map.of()));
    assertTrue(tls("127.0.0.1:1", Map.of("MCGW_TLS", "on")));
    assertFalse(tls("gw.example.com:1", Map.of("MCGW_TLS", "OFF")));
    assertTrue(tls("gw.example.com:1", Map.of("MCGW_TLS", "auto")));
    assertTrue(tls("127.0.0.1:1", Map.of("MCGW_CA_CERT", ca.getPath())), "a CA means TLS");
    try (McGatewayClient c =
        McGatewayClient.builder("127.0.0.1:1").environment(Map.of()).trustCertificates(ca).build()) {
      assertTrue(c.usesTls());
    }
    try (McGatewayClient c =
        McGatewayClient.builder("127.0.0.1:1")
            .environment(Map.of("MCGW_TLS", "off"))
            .tls(TlsMode.ON)
            .build()) {
      assertTrue(c.usesTls(), "tls(ON) beats MCGW_TLS");
    }
    try (McGatewayClient c =
        McGatewayClient.builder("gw:1")
            .environment(Map.of("MCGW_CA_CERT", ca.getPath()))
            .plaintext()
            .build()) {
      assertFalse(c.usesTls(), "plaintext() does not read MCGW_CA_CERT");
    }
  }

  @Test
  void contradictoryOrBrokenSettingsAreRefused(@TempDir Path dir) throws Exception {
    File ca = writeCa(dir);
    IllegalArgumentException badMode =
        assertThrows(IllegalArgumentException.class, () -> tls("127.0.0.1:1", Map.of("MCGW_TLS", "yes")));
    assertEquals("MCGW_TLS=\"yes\": want auto, on or off", badMode.getMessage());
    Map<String, String> both = new HashMap<>();
    both.put("MCGW_TLS", "off");
    both.put("MCGW_CA_CERT", ca.getPath());
    IllegalArgumentException conflict =
        assertThrows(IllegalArgumentException.class, () -> tls("127.0.0.1:1", both));
    assertEquals(
        "a CA certificate (MCGW_CA_CERT) means TLS, but TLS is off (MCGW_TLS=off)",
        conflict.getMessage());
    IllegalArgumentException explicit =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                McGatewayClient.builder("127.0.0.1:1")
                    .environment(Map.of())
                    .plaintext()
                    .trustCertificates(ca)
                    .build());
    assertEquals(
        "a CA certificate (trustCertificates) means TLS, but TLS is off (plaintext())",
        explicit.getMessage());
    assertThrows(
        UncheckedIOException.class,
        () -> tls("127.0.0.1:1", Map.of("MCGW_CA_CERT", ca.getPath() + ".missing")));
    IllegalArgumentException scheme =
        assertThrows(
            IllegalArgumentException.class,
            () -> tls(null, Map.of("MCGW_TARGET", "https://gw:443")));
    assertTrue(scheme.getMessage().startsWith("invalid target \"https://gw:443\": remove the scheme"));
  }

  @Test
  void theTargetComesFromTheEnvironmentUnlessGiven() {
    try (McGatewayClient c =
        McGatewayClient.builder().environment(Map.of("MCGW_TARGET", "[::1]:7")).build()) {
      assertEquals("[::1]:7", c.target().toString());
    }
    try (McGatewayClient c = McGatewayClient.builder("").environment(Map.of()).build()) {
      assertEquals(Target.DEFAULT, c.target().toString());
    }
    try (McGatewayClient c =
        McGatewayClient.builder("127.0.0.1:9").environment(Map.of("MCGW_TARGET", "[::1]:7")).build()) {
      assertEquals("127.0.0.1:9", c.target().toString());
    }
  }

  @Test
  void tlsModesParse() {
    assertEquals(TlsMode.AUTO, TlsMode.parse(" Auto "));
    assertEquals(TlsMode.OFF, TlsMode.parse("off"));
    assertEquals("on", TlsMode.ON.toString());
    assertThrows(IllegalArgumentException.class, () -> TlsMode.parse("true"));
  }
}
