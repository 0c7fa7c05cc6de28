package dev.meridian.tools.benchmark;

import java.nio.file.Path;
import java.util.Properties;

/**
 * How much the benchmark measures, from system properties (the {@code benchmark} profile of tools/benchmark/pom.xml
 * passes them on; defaults in brackets): {@value #COLD_STARTS} [5] cold starts per function, {@value
 * #WARM_INVOCATIONS} [1000] measured warm invocations per function after {@value #WARM_UP} [100] unmeasured
 * ones, results to {@value #OUTPUT} [target/cold-warm-benchmark.json, relative to the working directory].
 */
record BenchmarkSettings(int coldStarts, int warmInvocations, int warmUp, Path output) {
  static final String COLD_STARTS = "meridian.benchmark.coldStarts";
  static final String WARM_INVOCATIONS = "meridian.benchmark.warmInvocations";
  static final String WARM_UP = "meridian.benchmark.warmUp";
  static final String OUTPUT = "meridian.benchmark.output";

  BenchmarkSettings {
    if (coldStarts < 1) {
      throw new IllegalArgumentException(COLD_STARTS + " must be at least 1, was " + coldStarts);
    }
    if (warmInvocations < 1) {
      throw new IllegalArgumentException(WARM_INVOCATIONS + " must be at least 1, was " + warmInvocations);
    }
    if (warmUp < 0) {
      throw new IllegalArgumentException(WARM_UP + " must not be negative, was " + warmUp);
    }
  }

  static BenchmarkSettings from(Properties properties) {
    return new BenchmarkSettings(
        integer(properties, COLD_STARTS, 5),
        integer(properties, WARM_INVOCATIONS, 1000),
        integer(properties, WARM_UP, 100),
        Path.of(properties.getProperty(OUTPUT, "target/cold-warm-benchmark.json").trim()));
  }

  private static int integer(Properties properties, String name, int fallback) {
    String value = properties.getProperty(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim().replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
    }
  }
}
