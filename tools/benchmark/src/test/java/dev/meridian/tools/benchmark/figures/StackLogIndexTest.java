package dev.meridian.tools.benchmark.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Lines exactly as the stack writes them to stack.log. */
class StackLogIndexTest {
  private final StackLogIndex index = new StackLogIndex(Path.of("unused"));

  @Test
  void findsTheReportOfAGatewayRequestThroughTheAccessLog() {
    index.accept("2026-11-26T08:00:57.500Z [us-east-1] {\"requestId\":\"Mc7UVioPPHcEKPA=\",\"routeKey\":\"GET /products/{id}\","
        + "\"status\":\"200\",\"integrationError\":\"-\",\"integrationRequestId\":\"3f844a82-0711\",\"region\":\"us-east-1\"}");
    index.accept("2026-11-26T08:00:57.508Z [us-east-1/CatalogFunction] REPORT RequestId: 3f844a82-0711\tDuration: 1176.04 ms"
        + "\tBilled Duration: 1177 ms\tMemory Size: 1024 MB\tMax Memory Used: 209 MB\tInit Duration: 7161.25 ms");

    StackLogIndex.Report report = index.reportForGatewayRequest("Mc7UVioPPHcEKPA=").orElseThrow();
    assertThat(report.function()).isEqualTo("CatalogFunction");
    assertThat(report.region()).isEqualTo("us-east-1");
    assertThat(report.durationMillis()).isEqualTo(1176.04);
    assertThat(report.initMillis()).isEqualTo(7161.25);
    assertThat(report.maxMemoryUsedMb()).isEqualTo(209);
    assertThat(report.cold()).isTrue();
    assertThat(report.status()).isNull();
    assertThat(index.reportForGatewayRequest("unknown")).isEmpty();
  }

  @Test
  void findsTheFirstColdStartAfterAMarkAndReadsTimeouts() {
    index.accept("2026-11-26T08:00:44.1Z [eu-west-1/HealthFunction] REPORT RequestId: a\tDuration: 99.32 ms\tBilled Duration: 100 ms"
        + "\tMemory Size: 512 MB\tMax Memory Used: 175 MB\tInit Duration: 7887.63 ms");
    long mark = index.mark();
    index.accept("2026-11-26T08:00:45.1Z [eu-west-1/CatalogFunction] REPORT RequestId: b\tDuration: 4000.00 ms\tBilled Duration: 4000 ms"
        + "\tMemory Size: 1024 MB\tMax Memory Used: 210 MB\tStatus: timeout");
    index.accept("2026-11-26T08:00:46.1Z [eu-west-1/HealthFunction] REPORT RequestId: c\tDuration: 45.37 ms\tBilled Duration: 46 ms"
        + "\tMemory Size: 512 MB\tMax Memory Used: 174 MB\tInit Duration: 812.50 ms");
    index.accept("2026-11-26T08:00:46.2Z [eu-west-1] not an access-log line");

    assertThat(index.firstColdReportAfter(mark, "eu-west-1", "HealthFunction").orElseThrow().requestId()).isEqualTo("c");
    assertThat(index.firstColdReportAfter(mark, "eu-west-1", "CatalogFunction")).isEmpty();
    assertThat(index.firstColdReportAfter(0, "us-east-1", "HealthFunction")).isEmpty();
  }
}
