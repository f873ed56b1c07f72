package dev.logfailover;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one size parser shared by both appenders (SPEC section 3): a number with {@code B}, {@code
 * KiB}, {@code MiB} or {@code GiB} ({@code KB}, {@code MB}, {@code GB} mean the same binary units, as
 * in Logback's {@code FileSize}), with or without a space; a bare number means bytes.
 */
public final class Sizes {
  private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-z]*)");

  private Sizes() {}

  /** @throws ConfigException naming {@code option} and {@code text} */
  public static long parse(String option, String text) {
    if (text == null || text.isBlank()) {
      throw new ConfigException(option, text == null ? "" : text, "a size is required");
    }
    Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new ConfigException(option, text, "expected a number and a unit, e.g. '32 MiB' or '512KB'");
    }
    long unit = switch (matcher.group(2)) {
      case "", "b" -> 1L;
      case "k", "kb", "kib" -> 1L << 10;
      case "m", "mb", "mib" -> 1L << 20;
      case "g", "gb", "gib" -> 1L << 30;
      default -> throw new ConfigException(option, text, "unknown unit '" + matcher.group(2) + "'; use B, KiB, MiB or GiB");
    };
    try {
      return new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unit)).setScale(0, java.math.RoundingMode.DOWN)
          .longValueExact();
    } catch (ArithmeticException e) {
      throw new ConfigException(option, text, "the size is too large");
    }
  }
}
