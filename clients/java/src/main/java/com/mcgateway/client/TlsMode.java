package com.mcgateway.client;

import java.util.Locale;

/**
 * When a client uses TLS (clients/README.md, "TLS: auto by default"), as {@code MCGW_TLS} spells
 * it: {@code auto}, {@code on} or {@code off}.
 */
public enum TlsMode {
  /**
   * The default: plaintext only when the target's host is loopback ({@link Target#isLoopback()})
   * and no CA was given, TLS otherwise.
   */
  AUTO,
  /** Always TLS. */
  ON,
  /** Always plaintext; a token then travels in the clear. */
  OFF;

  /** Reads {@code auto}, {@code on} or {@code off} (any case). */
  public static TlsMode parse(String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto":
        return AUTO;
      case "on":
        return ON;
      case "off":
        return OFF;
      default:
        throw new IllegalArgumentException(
            "TLS mode \"" + value + "\": want auto, on or off");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
