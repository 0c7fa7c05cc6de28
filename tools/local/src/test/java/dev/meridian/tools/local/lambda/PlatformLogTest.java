package dev.meridian.tools.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlatformLogTest {

  @Test
  void linesAreLambdas() {
    assertThat(PlatformLog.start("r1")).isEqualTo("START RequestId: r1 Version: $LATEST");
    assertThat(PlatformLog.end("r1")).isEqualTo("END RequestId: r1");
    assertThat(PlatformLog.report("r1", 12.344, 13, 1024, 187, 1432.1, null, null)).isEqualTo(
        "REPORT RequestId: r1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory Used: 187 MB"
            + "\tInit Duration: 1432.10 ms");
    assertThat(PlatformLog.report("r1", 3000, 3000, 512, 90, -1, "timeout", null)).isEqualTo(
        "REPORT RequestId: r1\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB"
            + "\tStatus: timeout");
    assertThat(PlatformLog.report("r1", 5, 5, 512, -1, -1, "error", "Runtime.ExitError"))
        .endsWith("\tMax Memory Used: 0 MB\tStatus: error\tError Type: Runtime.ExitError");
    assertThat(PlatformLog.timedOut(Instant.parse("2024-05-01T10:00:00.123Z"), "r1", 3))
        .isEqualTo("2024-05-01T10:00:00.123Z r1 Task timed out after 3.00 seconds");
  }

  @Test
  void billedDurationRoundsUpToWholeMilliseconds() {
    assertThat(PlatformLog.billedMillis(12.01)).isEqualTo(13);
    assertThat(PlatformLog.billedMillis(12.0)).isEqualTo(12);
    assertThat(PlatformLog.billedMillis(0.2)).isEqualTo(1);
  }

  @Test
  void identifiersLookLikeLambdas() {
    Instant now = Instant.parse("2024-05-01T10:00:00Z");
    assertThat(PlatformLog.traceHeader(now))
        .matches("Root=1-663212a0-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
    assertThat(PlatformLog.logStreamName(now)).matches("2024/05/01/\\[\\$LATEST][0-9a-f]{32}");
  }
}
