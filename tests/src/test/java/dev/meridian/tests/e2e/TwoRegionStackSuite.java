package dev.meridian.tests.e2e;

import static dev.meridian.tests.e2e.StackHarness.EU;
import static dev.meridian.tests.e2e.StackHarness.US;
import static dev.meridian.tests.e2e.StackHarness.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * An end-to-end test class run against one two-region local stack: the subclass's {@code @BeforeAll}
 * calls {@link #start} (then seeds or warms what it needs); the stack stops after the class's last
 * test, and {@link StackHarness#close} checks that nothing it started outlives it. The fields are
 * static because JUnit runs the classes one after another and a stack serves a whole class; only
 * one stack may run at a time. The class fails at its end if any answer of the API it received
 * was not described by openapi.yaml ({@link StackHarness#openApiViolations}).
 */
abstract class TwoRegionStackSuite {
  static StackHarness stack;
  static URI us;
  static URI eu;
  /** A customer's token. */
  static String alice;
  /** An operator's token (scope meridian/admin). */
  static String ops;

  static void start(String name, String mode, boolean seed) throws Exception {
    StackHarness.forgetOpenApiViolations();
    stack = StackHarness.up(name, mode, seed);
    us = stack.region(US);
    eu = stack.region(EU);
    alice = token("alice", false);
    ops = token("ops", true);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
      stack = null;
    }
    List<String> violations = StackHarness.openApiViolations();
    System.out.printf("[e2e] %d answers of the API checked against openapi.yaml, %d not described%n",
        StackHarness.openApiChecked(), violations.size());
    assertThat(violations).as("answers of the API that openapi.yaml does not describe (%d):%n  %s", violations.size(),
        String.join("\n  ", violations.subList(0, Math.min(20, violations.size())))).isEmpty();
  }
}
