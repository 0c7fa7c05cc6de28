package dev.meridian.tools.local.sources;

/**
 * One running event source of a region: an SQS event-source mapping, a DynamoDB stream mapping or
 * a schedule. Thread-safe. Created stopped; {@link #start()} starts its thread(s).
 */
public interface EventSource extends AutoCloseable {

  /** {@code <FunctionLogicalId>.<EventName>}, unique within a region. */
  String id();

  /** Starts polling (or the timer); idempotent. */
  void start();

  /**
   * Stops delivering to the function until {@link #resume()}. An invocation already running
   * completes (and its batch is settled); nothing new is fetched or fired meanwhile. Idempotent.
   */
  void pause();

  /** Undoes {@link #pause()}. */
  void resume();

  boolean isPaused();

  /** A snapshot of the counters and state. */
  SourceStatus status();

  /**
   * Stops for good and waits (bounded) for the thread(s) to end; an SQS long poll in flight is
   * aborted. Idempotent.
   */
  @Override
  void close();
}
