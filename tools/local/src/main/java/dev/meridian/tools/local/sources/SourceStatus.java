package dev.meridian.tools.local.sources;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one event source, for the control API.
 *
 * @param id           {@code <FunctionLogicalId>.<EventName>}
 * @param resource     the queue ARN, stream ARN or rule ARN
 * @param description  how it runs, e.g. {@code batch 10, long poll 20 s} or {@code every 6.0 s}
 * @param invocations  function invocations made
 * @param delivered    messages/records/events handed to the function (redeliveries counted again)
 * @param succeeded    messages deleted / records checkpointed past after a successful invocation
 * @param failures     failed invocations: function error, timeout, crashed runtime, invalid or
 *                     partial batch response
 * @param throttled    invocations Lambda throttled (every environment of the function busy); the
 *                     function did not run, the batch was left to be retried
 * @param discarded    stream records given up after their retries (on-failure record sent, or
 *                     dropped when no destination is configured); 0 for SQS and schedules
 * @param skipped      schedule firings skipped because the previous invocation still ran
 * @param lastError    the last failure (function error, moto error), or null
 * @param lastErrorAt  when it happened, or null
 * @param running      whether its thread is alive
 * @param backoff      the back-off it is currently sleeping (idle or error), zero when none
 * @param awsCalls     HTTP requests it sent to moto (SDK retries included)
 */
public record SourceStatus(
    String id,
    Kind kind,
    String region,
    String function,
    String event,
    String resource,
    String description,
    long invocations,
    long delivered,
    long succeeded,
    long failures,
    long throttled,
    long discarded,
    long skipped,
    String lastError,
    Instant lastErrorAt,
    boolean paused,
    boolean running,
    Duration backoff,
    long awsCalls) {

  /** What kind of event source. */
  public enum Kind {
    SQS,
    DYNAMODB_STREAM,
    SCHEDULE
  }
}
