package dev.meridian.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What deploy/deploy.sh reserves for the health function, from the account's Lambda quota
 * ({@code aws lambda get-account-settings}) and the function's current reservation: 20 where
 * Lambda's rule allows it (at least 100 executions stay unreserved), otherwise 0 (none), so the
 * reservation can never fail a deployment. {@code samconfig_tool.py health-concurrency} decides.
 */
class HealthConcurrencyChoiceTest {

  @ParameterizedTest(name = "quota {0}, unreserved {1}, current {2} -> {3}")
  @CsvSource({
      // a default account: plenty of room
      "1000, 1000, 0, 20",
      // a new account with the reduced quota of 10: nothing can be reserved
      "10, 10, 0, 0",
      // exactly 100 left after reserving 20
      "1000, 120, 0, 20",
      // one short
      "1000, 119, 0, 0",
      // a redeploy: the function's own 20 return to the pool before the new reservation
      "1000, 100, 20, 20",
  })
  void reservesWhereTheQuotaAllowsAndNothingElsewhere(int quota, int unreserved, int current, int expected)
      throws Exception {
    ExternalTool.assumeInstalled("python3", "Python 3.11 or later");
    Path settings = Files.createTempFile("lambda-account-settings-", ".json");
    try {
      Files.writeString(settings, "{\"AccountLimit\":{\"ConcurrentExecutions\":" + quota
          + ",\"UnreservedConcurrentExecutions\":" + unreserved + "},\"AccountUsage\":{\"FunctionCount\":5}}");
      ExternalTool.Result result = ExternalTool.run(60, "python3", "deploy/samconfig_tool.py", "health-concurrency",
          "--account-settings", settings.toString(), "--current", Integer.toString(current));
      assertThat(result.exitCode()).as(result.output()).isZero();
      String[] lines = result.output().strip().split("\n");
      assertThat(lines).as("the value and the reason it gives").hasSize(2);
      assertThat(result.output()).as("it says what it chose").contains(expected == 0 ? "not reserving" : "reserving 20");
      assertThat(result.output().lines().filter(l -> l.matches("\\d+")).toList()).containsExactly(Integer.toString(expected));
    } finally {
      Files.deleteIfExists(settings);
    }
  }
}
