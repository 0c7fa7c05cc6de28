package dev.meridian.tools.local.sources;

import dev.meridian.adapter.dynamodb.Backoff;
import dev.meridian.tools.local.lambda.Invoker;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import dev.meridian.tools.local.model.EventSourceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * An SQS event-source mapping, as Lambda runs one.
 *
 * <ul>
 *   <li>Long-polls {@code ReceiveMessage} (WaitTimeSeconds 20, MaxNumberOfMessages = BatchSize up
 *       to 10, all system and message attributes; the queue's own visibility timeout).
 *   <li>Invokes the function with the SQS event ({@link LambdaEvents#sqsEvent}).
 *   <li>Success: deletes the batch; with {@code ReportBatchItemFailures} all but the messages in
 *       {@code batchItemFailures[].itemIdentifier}, and none if that response is invalid (see
 *       {@link BatchResponse}). Function error, timeout or crashed runtime: deletes none.
 *   <li>Messages not deleted become visible again after the visibility timeout; the queue's
 *       redrive policy (which moto implements: it moves a message to the dead-letter queue on the
 *       first receive after {@code maxReceiveCount} receives) takes them to the DLQ.
 * </ul>
 *
 * <p>Back-off: none while long polls return on time (an empty 20 s poll is one call per 20 s); if
 * an empty poll returns in under half the wait time (the long poll was not honoured), 100 ms
 * doubling to 5 s; moto errors: 100 ms doubling to 5 s. {@link #pause()} lets a poll in flight
 * finish and hands what it got straight back (ChangeMessageVisibility 0) without invoking;
 * {@link #close()} aborts it (moto may still take a message for that abandoned poll, which then
 * reappears after the visibility timeout).
 */
public final class SqsPoller extends PollingSource {

  /** The long-poll wait; 20 s is SQS's maximum and Lambda's. */
  public static final int WAIT_TIME_SECONDS = 20;
  static final Duration IDLE_BACKOFF_MIN = Duration.ofMillis(100);
  static final Duration IDLE_BACKOFF_MAX = Duration.ofSeconds(5);

  private final EventSourceSpec.Sqs spec;
  private final QueueRef queue;
  private final int maxMessages;
  private final int waitTimeSeconds;
  private final Backoff idle = new Backoff(IDLE_BACKOFF_MIN, IDLE_BACKOFF_MAX, 0);
  private final Object receiveLock = new Object();
  private boolean receiving;

  /**
   * @param functionLogicalId the function to invoke
   * @param spec              the template's SQS event
   * @param queue             the queue it names ({@code spec.queueLogicalId()})
   * @param clients           the endpoint; requests are signed for the queue's region
   */
  public SqsPoller(String functionLogicalId, EventSourceSpec.Sqs spec, QueueRef queue, SourceClients clients,
      Invoker invoker) {
    this(functionLogicalId, spec, queue, clients, invoker, WAIT_TIME_SECONDS);
  }

  SqsPoller(String functionLogicalId, EventSourceSpec.Sqs spec, QueueRef queue, SourceClients clients,
      Invoker invoker, int waitTimeSeconds) {
    super(functionLogicalId + "." + spec.name(), queue.region(), functionLogicalId, invoker, clients);
    this.spec = Objects.requireNonNull(spec, "spec");
    this.queue = queue;
    if (!queue.logicalId().equals(spec.queueLogicalId())) {
      throw new IllegalArgumentException(id + " polls " + spec.queueLogicalId() + ", not " + queue.logicalId());
    }
    this.maxMessages = Math.max(1, Math.min(spec.batchSize() <= 0 ? 10 : spec.batchSize(), 10));
    this.waitTimeSeconds = waitTimeSeconds;
  }

  @Override
  protected String threadName() {
    return "event-source-sqs-" + region + "-" + id;
  }

  @Override
  protected void pollOnce() {
    synchronized (receiveLock) {
      if (closed || isPaused()) {
        return;
      }
      receiving = true;
    }
    SqsClient sqs = session.sqs();
    List<Message> messages;
    long started = System.nanoTime();
    try {
      messages = sqs.receiveMessage(ReceiveMessageRequest.builder()
          .queueUrl(queue.url())
          .maxNumberOfMessages(maxMessages)
          .waitTimeSeconds(waitTimeSeconds)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
          .messageAttributeNames("All")
          .build()).messages();
    } finally {
      synchronized (receiveLock) {
        receiving = false;
      }
    }
    if (messages.isEmpty()) {
      boolean returnedEarly = System.nanoTime() - started < Duration.ofSeconds(waitTimeSeconds).toNanos() / 2;
      if (returnedEarly) {
        backOff(idle.next());
      } else {
        idle.reset();
      }
      return;
    }
    idle.reset();
    if (isPaused() || closed) {
      release(sqs, messages);
      return;
    }
    deliver(sqs, messages);
  }

  private void deliver(SqsClient sqs, List<Message> messages) {
    InvokeResult result = invoke(LambdaEvents.bytes(LambdaEvents.sqsEvent(messages, queue.arn(), region)),
        messages.size());
    if (!result.succeeded()) {
      // A throttle included: Lambda's poller neither deletes nor releases the batch early, so every
      // message reappears once its visibility timeout lapses (and its receive count grows).
      return;
    }
    List<Message> done = messages;
    if (spec.reportBatchItemFailures()) {
      Set<String> ids = new LinkedHashSet<>();
      messages.forEach(m -> ids.add(m.messageId()));
      BatchResponse response = BatchResponse.parse(result.payload(), ids);
      if (response.isInvalid()) {
        stats.failures.incrementAndGet();
        stats.error(response.invalid() + " (request " + result.requestId() + ")");
        return;
      }
      if (!response.isCompleteSuccess()) {
        stats.failures.incrementAndGet();
        stats.error(response.failed().size() + " of " + messages.size() + " messages reported failed (request "
            + result.requestId() + ")");
        done = messages.stream().filter(m -> !response.failed().contains(m.messageId())).toList();
      }
    }
    delete(sqs, done);
  }

  private void delete(SqsClient sqs, List<Message> messages) {
    if (messages.isEmpty()) {
      return;
    }
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      entries.add(DeleteMessageBatchRequestEntry.builder()
          .id(Integer.toString(i)).receiptHandle(messages.get(i).receiptHandle()).build());
    }
    DeleteMessageBatchResponse response =
        sqs.deleteMessageBatch(r -> r.queueUrl(queue.url()).entries(entries));
    stats.succeeded.addAndGet(response.successful().size());
    if (response.hasFailed() && !response.failed().isEmpty()) {
      BatchResultErrorEntry first = response.failed().get(0);
      stats.error("DeleteMessageBatch failed for " + response.failed().size() + " messages: " + first.code()
          + " " + first.message());
    }
  }

  /** Makes messages received while pausing visible again at once. */
  private void release(SqsClient sqs, List<Message> messages) {
    if (closed) {
      return; // the session is going away; they reappear after the visibility timeout
    }
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
          .id(Integer.toString(i)).receiptHandle(messages.get(i).receiptHandle()).visibilityTimeout(0).build());
    }
    sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queue.url()).entries(entries));
  }

  @Override
  protected void onClose() {
    synchronized (receiveLock) {
      if (receiving) {
        session.close(); // aborts the long poll; nothing else is in flight while receiving
      }
    }
  }

  public QueueRef queue() {
    return queue;
  }

  @Override
  public SourceStatus status() {
    return status(SourceStatus.Kind.SQS, spec.name(), queue.arn(),
        "batch " + maxMessages + (spec.reportBatchItemFailures() ? ", ReportBatchItemFailures" : "")
            + ", long poll " + waitTimeSeconds + " s");
  }
}
