package dev.meridian.tools.local.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tools.local.model.EventSourceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timing of schedules (no moto needed; an IT because it sleeps a few seconds). */
class SchedulerIT {

  @Test
  void firesTheScheduledEventEveryScaledPeriod() {
    FakeInvoker invoker = FakeInvoker.succeeding();
    // rate(1 minute) at time factor 0.005 = every 300 ms
    Scheduler scheduler = new Scheduler("ap-southeast-2", "HealthFunction",
        new EventSourceSpec.Schedule("Heartbeat", 60, null, true), invoker, 0.005);
    assertThat(scheduler.period()).isEqualTo(Duration.ofMillis(300));
    long start = System.nanoTime();
    scheduler.start();
    Await.sleep(Duration.ofMillis(2_000));
    scheduler.close();

    List<FakeInvoker.Call> calls = invoker.calls();
    List<Long> offsets = new ArrayList<>();
    calls.forEach(c -> offsets.add((c.atNanos() - start) / 1_000_000));
    System.out.println("[sources] schedule every 300 ms fired at (ms after start): " + offsets);
    // first after one period (+ up to 5 % jitter), then every period: 300..315, ~600, ... ~1800
    assertThat(calls).hasSizeBetween(4, 7);
    assertThat(offsets.get(0)).isBetween(290L, 700L);
    for (int i = 1; i < offsets.size(); i++) {
      assertThat(offsets.get(i) - offsets.get(i - 1)).as("interval %d", i).isBetween(100L, 600L);
    }
    JsonNode event = calls.get(0).event();
    assertThat(event.get("version").asText()).isEqualTo("0");
    assertThat(event.get("detail-type").asText()).isEqualTo("Scheduled Event");
    assertThat(event.get("source").asText()).isEqualTo("aws.events");
    assertThat(event.get("account").asText()).isEqualTo("123456789012");
    assertThat(event.get("region").asText()).isEqualTo("ap-southeast-2");
    assertThat(event.get("resources").get(0).asText())
        .isEqualTo("arn:aws:events:ap-southeast-2:123456789012:rule/HealthFunctionHeartbeat");
    assertThat(event.get("detail").isEmpty()).isTrue();
    assertThat(Instant.parse(event.get("time").asText())).isBetween(Instant.now().minusSeconds(5), Instant.now());
    assertThat(event.get("id").asText()).isNotEqualTo(calls.get(1).event().get("id").asText());
    System.out.println("[sources] scheduled event: " + event);
  }

  @Test
  void skipsAFiringWhileThePreviousInvocationRuns() {
    FakeInvoker invoker = FakeInvoker.succeeding();
    invoker.latency(Duration.ofMillis(450));
    // every 120 ms, each invocation takes 450 ms
    Scheduler scheduler = new Scheduler("eu-west-1", "HealthFunction",
        new EventSourceSpec.Schedule("Heartbeat", 60, null, true), invoker, 0.002);
    scheduler.start();
    Await.sleep(Duration.ofMillis(2_000));
    scheduler.close();

    SourceStatus status = scheduler.status();
    System.out.println("[sources] overlapping schedule: " + status);
    assertThat(invoker.maxConcurrent()).isEqualTo(1);
    assertThat(status.skipped()).isGreaterThanOrEqualTo(6);
    assertThat(status.invocations()).isBetween(2L, 5L);
    assertThat(status.invocations()).isEqualTo(invoker.calls().size());
  }

  @Test
  void constantInputIsSentVerbatim() {
    FakeInvoker invoker = FakeInvoker.succeeding();
    try (Scheduler scheduler = new Scheduler("eu-west-1", "Sweeper",
        new EventSourceSpec.Schedule("Sweep", 60, "{\"mode\":\"sweep\",\"limit\":5}", true), invoker, 0.002)) {
      scheduler.start();
      Await.until(Duration.ofSeconds(5), "a firing", () -> !invoker.calls().isEmpty());
    }
    assertThat(invoker.calls().get(0).event().toString()).isEqualTo("{\"mode\":\"sweep\",\"limit\":5}");
  }

  @Test
  void pausedAndDisabledSchedulesDoNotFire() {
    FakeInvoker invoker = FakeInvoker.succeeding();
    Scheduler paused = new Scheduler("eu-west-1", "A", new EventSourceSpec.Schedule("Tick", 60, null, true),
        invoker, 0.002);
    Scheduler disabled = new Scheduler("eu-west-1", "B", new EventSourceSpec.Schedule("Tick", 60, null, false),
        invoker, 0.002);
    paused.pause();
    paused.start();
    disabled.start();
    Await.sleep(Duration.ofMillis(700));
    assertThat(invoker.calls()).isEmpty();
    assertThat(disabled.status().description()).isEqualTo("disabled");
    assertThat(disabled.status().running()).isFalse();

    paused.resume();
    Await.until(Duration.ofSeconds(5), "a firing after resume", () -> !invoker.calls().isEmpty());
    assertThat(invoker.calls()).extracting(FakeInvoker.Call::function).containsOnly("A");
    paused.close();
    disabled.close();
    assertThat(paused.status().running()).isFalse();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("event-source-schedule")
        && t.isAlive());
  }
}
