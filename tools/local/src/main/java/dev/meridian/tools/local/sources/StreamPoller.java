package dev.meridian.tools.local.sources;

import dev.meridian.adapter.dynamodb.Backoff;
import dev.meridian.tools.local.lambda.Invoker;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import dev.meridian.tools.local.model.EventSourceSpec;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A DynamoDB stream event-source mapping, as Lambda runs one.
 *
 * <ul>
 *   <li>{@code DescribeStream} → shards (parents before children) → an iterator at {@code
 *       StartingPosition} (LATEST or TRIM_HORIZON; shards discovered later from TRIM_HORIZON) →
 *       {@code GetRecords} with Limit = BatchSize (at most 1000) in a loop. When no shard returned
 *       records it backs off 100 ms doubling to 2 s, reset as soon as records arrive; moto errors
 *       back off 100 ms doubling to 5 s and re-acquire the iterator after the last record fetched.
 *   <li>Invokes the function with the DynamoDB Streams event ({@link LambdaEvents#dynamoDbEvent}),
 *       {@code awsRegion} being the stream's region. Per shard, strictly in order: a batch is
 *       settled (succeeded, or given up) before the next one is delivered, and never re-delivered
 *       after it succeeded.
 *   <li>Function error (error, timeout, crashed runtime, or an invalid {@code
 *       ReportBatchItemFailures} response): with {@code BisectBatchOnFunctionError} a batch of two or
 *       more records is split in halves, each retried in order as its own batch (a split does not
 *       use up a retry: each half starts with the full {@code MaximumRetryAttempts}, so bisection
 *       always isolates a poison record); otherwise the batch is retried until it has been retried
 *       {@code MaximumRetryAttempts} times (-1 = forever), 100 ms doubling to 2 s apart.
 *   <li>Throttled (every environment of the function busy): the batch stays at the head of the
 *       shard and is retried after the retry back-off, without counting as a retry attempt.
 *   <li>{@code ReportBatchItemFailures}: the lowest reported sequence number is the checkpoint:
 *       records before it succeeded, the batch is retried from it (a retry attempt).
 *   <li>Retries exhausted: the on-failure record ({@link LambdaEvents#streamFailureRecord}) goes to
 *       the OnFailure SQS queue (sending is retried until it succeeds) and the poller moves on;
 *       without a destination the records are dropped. Both count as {@code discarded}.
 * </ul>
 */
public final class StreamPoller extends PollingSource {

  static final Duration IDLE_BACKOFF_MIN = Duration.ofMillis(100);
  static final Duration IDLE_BACKOFF_MAX = Duration.ofSeconds(2);
  static final Duration RETRY_BACKOFF_MIN = Duration.ofMillis(100);
  static final Duration RETRY_BACKOFF_MAX = Duration.ofSeconds(2);
  /** GetRecords returns at most 1000 records. */
  static final int MAX_GET_RECORDS = 1000;

  private final EventSourceSpec.DynamoDbStream spec;
  private final String streamArn;
  private final QueueRef onFailure;
  private final String functionArn;
  private final int limit;
  private final ShardIteratorType startingPosition;
  private final Backoff idle = new Backoff(IDLE_BACKOFF_MIN, IDLE_BACKOFF_MAX, 0);
  private final Backoff retry = new Backoff(RETRY_BACKOFF_MIN, RETRY_BACKOFF_MAX, 0);
  /** Poller thread only; null = DescribeStream needed. */
  private List<ShardState> shards;
  /** Every shard met so far, with its position (poller thread only). */
  private final Map<String, ShardState> known = new LinkedHashMap<>();
  private volatile String checkpoint;

  /**
   * @param functionLogicalId the function to invoke
   * @param spec              the template's DynamoDB event
   * @param streamArn         the table's stream ARN in this region (its region is the events'
   *                          {@code awsRegion} and the region requests are signed for)
   * @param onFailure         the queue {@code spec.onFailureQueueLogicalId()} names, or null
   */
  public StreamPoller(String functionLogicalId, EventSourceSpec.DynamoDbStream spec, String streamArn,
      QueueRef onFailure, SourceClients clients, Invoker invoker) {
    super(functionLogicalId + "." + spec.name(), Arns.region(streamArn), functionLogicalId, invoker, clients);
    this.spec = Objects.requireNonNull(spec, "spec");
    this.streamArn = streamArn;
    if (spec.onFailureQueueLogicalId() != null
        && (onFailure == null || !onFailure.logicalId().equals(spec.onFailureQueueLogicalId()))) {
      throw new IllegalArgumentException(id + " sends failures to " + spec.onFailureQueueLogicalId() + ", given "
          + (onFailure == null ? "no queue" : onFailure.logicalId()));
    }
    this.onFailure = onFailure;
    this.functionArn = LambdaEvents.functionArn(region, Arns.account(streamArn), functionLogicalId);
    this.limit = Math.max(1, Math.min(spec.batchSize() <= 0 ? 100 : spec.batchSize(), MAX_GET_RECORDS));
    String position = spec.startingPosition() == null ? "LATEST" : spec.startingPosition().toUpperCase(Locale.ROOT);
    this.startingPosition = switch (position) {
      case "LATEST" -> ShardIteratorType.LATEST;
      case "TRIM_HORIZON" -> ShardIteratorType.TRIM_HORIZON;
      default -> throw new IllegalArgumentException(id + ": StartingPosition " + position
          + " is not supported for DynamoDB streams (LATEST or TRIM_HORIZON)");
    };
  }

  /** A shard's read position and its batches not yet settled (poller thread only). */
  private static final class ShardState {
    final String shardId;
    final String parentShardId;
    final ShardIteratorType initialPosition;
    final Deque<Pending> work = new ArrayDeque<>();
    String iterator;
    String lastFetched;
    boolean ended;

    ShardState(String shardId, String parentShardId, ShardIteratorType initialPosition) {
      this.shardId = shardId;
      this.parentShardId = parentShardId;
      this.initialPosition = initialPosition;
    }
  }

  /**
   * A batch to deliver: {@code retries} made so far; {@code failureRecord} set once given up
   * (then only that record remains to be sent).
   */
  private record Pending(List<Record> records, int retries, String failureRecord) {}

  @Override
  protected String threadName() {
    return "event-source-stream-" + region + "-" + id;
  }

  @Override
  protected void pollOnce() {
    if (shards == null) {
      describe();
    }
    for (ShardState shard : shards) {
      if (!shard.work.isEmpty()) {
        settleHead(shard);
        return;
      }
    }
    boolean fetched = false;
    boolean open = false;
    for (ShardState shard : shards) {
      if (shard.ended || !parentDone(shard)) {
        open |= !shard.ended;
        continue;
      }
      open = true;
      fetched |= fetch(shard);
    }
    if (fetched) {
      idle.reset();
      return;
    }
    if (!open) {
      shards = null; // every shard ended: look for their children
    }
    backOff(idle.next());
  }

  private void describe() {
    DynamoDbStreamsClient streams = session.streams();
    List<Shard> found = new ArrayList<>();
    String last = null;
    do {
      String start = last;
      StreamDescription d = streams.describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(start))
          .streamDescription();
      found.addAll(d.shards());
      last = d.lastEvaluatedShardId();
    } while (last != null);
    boolean first = known.isEmpty();
    Set<String> ids = new HashSet<>();
    found.forEach(s -> ids.add(s.shardId()));
    // Shards that vanished (trimmed) are dropped once nothing of theirs is left to deliver.
    known.values().removeIf(state -> !ids.contains(state.shardId) && state.work.isEmpty());
    for (Shard s : found) {
      // A parent that is gone counts as done.
      String parent = s.parentShardId() != null && ids.contains(s.parentShardId()) ? s.parentShardId() : null;
      // Shards present when the mapping starts begin at StartingPosition; later ones at their start.
      known.computeIfAbsent(s.shardId(),
          id -> new ShardState(id, parent, first ? startingPosition : ShardIteratorType.TRIM_HORIZON));
    }
    shards = new ArrayList<>(known.values());
  }

  private boolean parentDone(ShardState shard) {
    if (shard.parentShardId == null) {
      return true;
    }
    for (ShardState other : shards) {
      if (other.shardId.equals(shard.parentShardId)) {
        return other.ended && other.work.isEmpty();
      }
    }
    return true;
  }

  private boolean fetch(ShardState shard) {
    DynamoDbStreamsClient streams = session.streams();
    try {
      if (shard.iterator == null) {
        shard.iterator = iterator(streams, shard);
      }
      GetRecordsResponse response = streams.getRecords(r -> r.shardIterator(shard.iterator).limit(limit));
      shard.iterator = response.nextShardIterator();
      if (shard.iterator == null) {
        shard.ended = true;
      }
      if (!response.hasRecords() || response.records().isEmpty()) {
        // moto pins an iterator to the stream shard object it was made from, and a transaction that
        // fails restores the table from a copy with a new shard: the old iterator then reads nothing,
        // ever. Re-acquire after the last record fetched (idle polls only; the back-off bounds the cost).
        if (shard.lastFetched != null && !shard.ended) {
          shard.iterator = null;
        }
        return false;
      }
      List<Record> records = List.copyOf(response.records());
      shard.lastFetched = records.get(records.size() - 1).dynamodb().sequenceNumber();
      shard.work.add(new Pending(records, 0, null));
      return true;
    } catch (ResourceNotFoundException e) {
      shards = null; // stream or shard gone: describe again after the error back-off
      throw e;
    } catch (RuntimeException e) {
      shard.iterator = null; // expired, trimmed or unknown (moto reset): re-acquire next time
      throw e;
    }
  }

  private String iterator(DynamoDbStreamsClient streams, ShardState shard) {
    if (shard.lastFetched != null) {
      try {
        return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId)
            .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(shard.lastFetched))
            .shardIterator();
      } catch (TrimmedDataAccessException trimmed) {
        // fall through: the records after it are gone; start from the oldest left
        return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId)
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      }
    }
    return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId)
        .shardIteratorType(shard.initialPosition)).shardIterator();
  }

  // --- delivery ------------------------------------------------------------------------------

  private void settleHead(ShardState shard) {
    Pending head = shard.work.peekFirst();
    if (head.failureRecord() != null) {
      sendFailureRecord(head.failureRecord()); // throws on moto errors: retried after back-off
      shard.work.removeFirst();
      settled(head.records(), false);
      return;
    }
    if (head.retries() > 0) {
      backOff(retry.next());
      if (isPaused() || closed) {
        return;
      }
    }
    List<Record> records = head.records();
    InvokeResult result = invoke(LambdaEvents.bytes(LambdaEvents.dynamoDbEvent(records, streamArn)), records.size());
    if (result.status() == InvokeResult.Status.THROTTLED) {
      // The function never ran: the batch stays at the head of its shard, whole and in order, and
      // is offered again after a back-off without using up a retry, bisecting or giving up.
      backOff(retry.next());
      return;
    }
    if (result.succeeded() && !spec.reportBatchItemFailures()) {
      shard.work.removeFirst();
      settled(records, true);
      return;
    }
    if (result.succeeded()) {
      Set<String> sequenceNumbers = new LinkedHashSet<>();
      records.forEach(r -> sequenceNumbers.add(r.dynamodb().sequenceNumber()));
      BatchResponse response = BatchResponse.parse(result.payload(), sequenceNumbers);
      if (response.isCompleteSuccess()) {
        shard.work.removeFirst();
        settled(records, true);
        return;
      }
      stats.failures.incrementAndGet();
      if (!response.isInvalid()) {
        int from = firstFailed(records, response.failed());
        stats.error("records from sequence number " + records.get(from).dynamodb().sequenceNumber()
            + " reported failed (request " + result.requestId() + ")");
        shard.work.removeFirst();
        settled(records.subList(0, from), true);
        retryOrGiveUp(shard, List.copyOf(records.subList(from, records.size())), head.retries(), result, false);
        return;
      }
      stats.error(response.invalid() + " (request " + result.requestId() + ")");
    }
    // A function error, or an invalid batch response, which Lambda treats the same way.
    shard.work.removeFirst();
    if (spec.bisectBatchOnFunctionError() && records.size() > 1) {
      int half = (records.size() + 1) / 2;
      shard.work.addFirst(new Pending(List.copyOf(records.subList(half, records.size())), 0, null));
      shard.work.addFirst(new Pending(List.copyOf(records.subList(0, half)), 0, null));
      return;
    }
    retryOrGiveUp(shard, records, head.retries(), result, !result.succeeded());
  }

  /** Index of the record with the lowest reported sequence number. */
  private static int firstFailed(List<Record> records, Set<String> failed) {
    BigInteger lowest = failed.stream().map(BigInteger::new).min(BigInteger::compareTo).orElseThrow();
    for (int i = 0; i < records.size(); i++) {
      if (new BigInteger(records.get(i).dynamodb().sequenceNumber()).equals(lowest)) {
        return i;
      }
    }
    throw new IllegalStateException("reported sequence number not in batch: " + lowest);
  }

  private void retryOrGiveUp(ShardState shard, List<Record> records, int retries, InvokeResult last,
      boolean functionError) {
    int max = spec.maximumRetryAttempts();
    if (max < 0 || retries < max) {
      shard.work.addFirst(new Pending(records, retries + 1, null));
      return;
    }
    if (onFailure == null) {
      settled(records, false);
      return;
    }
    String record = LambdaEvents.string(LambdaEvents.streamFailureRecord(last.requestId(), functionArn,
        retries + 1, functionError, records, shard.shardId, streamArn, Instant.now()));
    shard.work.addFirst(new Pending(records, retries, record));
  }

  private void sendFailureRecord(String record) {
    session.sqs().sendMessage(r -> r.queueUrl(onFailure.url()).messageBody(record));
  }

  private void settled(List<Record> records, boolean succeeded) {
    retry.reset();
    if (records.isEmpty()) {
      return;
    }
    (succeeded ? stats.succeeded : stats.discarded).addAndGet(records.size());
    checkpoint = records.get(records.size() - 1).dynamodb().sequenceNumber();
  }

  public String streamArn() {
    return streamArn;
  }

  /** The sequence number of the last record settled (succeeded or given up), or null. */
  public String checkpoint() {
    return checkpoint;
  }

  @Override
  public SourceStatus status() {
    String retries = spec.maximumRetryAttempts() < 0 ? "retries forever" : "retries " + spec.maximumRetryAttempts();
    return status(SourceStatus.Kind.DYNAMODB_STREAM, spec.name(), streamArn,
        "batch " + limit + ", " + startingPosition + ", " + retries
            + (spec.bisectBatchOnFunctionError() ? ", bisect" : "")
            + (spec.reportBatchItemFailures() ? ", ReportBatchItemFailures" : "")
            + (onFailure == null ? "" : ", on failure -> " + onFailure.logicalId())
            + (checkpoint == null ? "" : ", checkpoint " + checkpoint));
  }
}
