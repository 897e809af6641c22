package com.mcgateway.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A validated gateway address: {@code host:port} (a DNS name or an IPv4 address) or {@code
 * [v6]:port}, with a port from 1 to 65535 (clients/README.md, "Target validation").
 */
public final class Target {
  /** The address used when neither the builder nor {@code MCGW_TARGET} gives one. */
  public static final String DEFAULT = "127.0.0.1:50051";

  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?$");
  private static final Pattern IPV4 =
      Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
  private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]+$");

  private final String host;
  private final int port;

  private Target(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The host: a DNS name, an IPv4 address or an IPv6 address (without brackets). */
  public String host() {
    return host;
  }

  /** The port, 1 to 65535. */
  public int port() {
    return port;
  }

  /**
   * Whether the host, as written, is loopback: {@code localhost} (any case), an IPv4 address in
   * {@code 127.0.0.0/8} or {@code ::1}. Names are never resolved.
   */
  public boolean isLoopback() {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    Matcher v4 = IPV4.matcher(host);
    if (v4.matches()) {
      return v4.group(1).equals("127");
    }
    return host.contains(":") && expandsToLoopback(host);
  }

  private static boolean expandsToLoopback(String v6) {
    try {
      byte[] bytes = java.net.InetAddress.getByName(v6).getAddress();
      if (bytes.length != 16) {
        return false;
      }
      for (int i = 0; i < 15; i++) {
        if (bytes[i] != 0) {
          return false;
        }
      }
      return bytes[15] == 1;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** The target as the channel dials it: {@code host:port}, or {@code [v6]:port}. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Target t && t.host.equals(host) && t.port == port;
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + port;
  }

  /**
   * Validates a gateway address. A scheme ({@code http://...}), a missing port, an unbracketed
   * IPv6 address or a malformed host throws {@link IllegalArgumentException} with a message that
   * says what to type instead.
   */
  public static Target parse(String s) {
    Matcher scheme = SCHEME.matcher(s);
    if (scheme.find()) {
      String rest = s.substring(scheme.end());
      if (rest.endsWith("/")) {
        rest = rest.substring(0, rest.length() - 1);
      }
      throw invalid(
          s,
          "remove the scheme \""
              + scheme.group()
              + "\" and give host:port, for example "
              + rest
              + " (TLS is chosen by MCGW_TLS, not by the scheme)");
    }
    String host;
    String port;
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0) {
        throw invalid(s, "\"[\" without \"]\"; give [v6]:port, for example [::1]:50051");
      }
      host = s.substring(1, end);
      String rest = s.substring(end + 1);
      if (rest.isEmpty()) {
        throw invalid(s, "missing port; give host:port, for example " + s + ":443");
      }
      if (!rest.startsWith(":")) {
        throw invalid(s, "give [v6]:port, for example [::1]:50051");
      }
      port = rest.substring(1);
      if (!host.contains(":") || !IPV6.matcher(host).matches() || !isIpv6(host)) {
        throw invalid(s, "\"" + host + "\" is not an IPv6 address");
      }
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      throw invalid(s, "put an IPv6 address in brackets, for example [::1]:50051");
    } else if (!s.contains(":")) {
      if (s.isEmpty()) {
        throw invalid(s, "missing host; give host:port, for example 127.0.0.1:50051");
      }
      throw invalid(s, "missing port; give host:port, for example " + s + ":443");
    } else {
      int i = s.lastIndexOf(':');
      host = s.substring(0, i);
      port = s.substring(i + 1);
      if (host.isEmpty()) {
        throw invalid(s, "missing host; give host:port, for example 127.0.0.1:50051");
      }
      if (!isIpv4(host) && !HOSTNAME.matcher(host).matches()) {
        throw invalid(s, "\"" + host + "\" is not a host name or an IP address");
      }
    }
    if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw invalid(s, "the port must be a number from 1 to 65535");
    }
    return new Target(host, Integer.parseInt(port));
  }

  private static boolean isIpv4(String host) {
    Matcher m = IPV4.matcher(host);
    if (!m.matches()) {
      return false;
    }
    for (int g = 1; g <= 4; g++) {
      if (Integer.parseInt(m.group(g)) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String host) {
    try {
      // A literal with only hex digits, colons and dots: InetAddress parses it without DNS.
      java.net.InetAddress.getByName(host);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static IllegalArgumentException invalid(String given, String problem) {
    return new IllegalArgumentException("invalid target \"" + given + "\": " + problem);
  }
}
