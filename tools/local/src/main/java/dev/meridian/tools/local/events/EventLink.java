package dev.meridian.tools.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tools.local.replication.Link;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One cross-region EventBridge target, as a link the local stack controls: the source region's
 * forwarding rule delivers into this link's queue (in the source region), and this forwarder
 * puts each event on the peer region's bus after the link's one-way delay, unless the link is
 * paused by a partition or a failed region. moto would forward bus-to-bus inside PutEvents and
 * so ignore partitions; this is why the local stack never gives moto a cross-region bus target.
 */
public final class EventLink implements AutoCloseable {
  /** What the control API reports per event link. */
  public record Status(String from, String to, long delayMillis, Set<Link.Pause> paused, long forwarded,
      long failed, long queued) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String from;
  private final String to;
  private final String targetBusName;
  private final String queueUrl;
  private final SqsClient sqs;
  private final EventBridgeClient targetBus;
  private final Duration jitter;
  private final Consumer<String> log;
  private final Thread thread;
  private final EnumSet<Link.Pause> paused = EnumSet.noneOf(Link.Pause.class);
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile Duration delay;
  private volatile boolean running = true;

  EventLink(String from, String to, String targetBusName, String queueUrl, SqsClient sqs, EventBridgeClient targetBus,
      Duration delay, Duration jitter, Consumer<String> log) {
    this.from = from;
    this.to = to;
    this.targetBusName = targetBusName;
    this.queueUrl = queueUrl;
    this.sqs = sqs;
    this.targetBus = targetBus;
    this.delay = delay;
    this.jitter = jitter;
    this.log = log;
    this.thread = new Thread(this::run, "event-link-" + from + "->" + to);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  String from() {
    return from;
  }

  String to() {
    return to;
  }

  synchronized void pause(Link.Pause reason, boolean on) {
    if (on) {
      paused.add(reason);
    } else {
      paused.remove(reason);
    }
    notifyAll();
  }

  void setDelay(Duration oneWay) {
    this.delay = oneWay;
  }

  private synchronized boolean awaitOpen() throws InterruptedException {
    while (running && !paused.isEmpty()) {
      wait(1_000);
    }
    return running;
  }

  private void run() {
    long idle = 100;
    while (running) {
      try {
        if (!awaitOpen()) {
          return;
        }
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(5)
            .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
        if (messages.isEmpty()) {
          Thread.sleep(idle); // moto may answer a long poll at once: never spin
          idle = Math.min(idle * 2, 1_000);
          continue;
        }
        idle = 100;
        for (Message message : messages) {
          forward(message);
        }
      } catch (InterruptedException e) {
        return;
      } catch (SdkException e) {
        if (running) {
          log.accept("event link " + from + "->" + to + ": " + e.getMessage());
          sleepQuietly(1_000);
        }
      }
    }
  }

  private void forward(Message message) throws InterruptedException {
    long sent = Long.parseLong(message.attributes().getOrDefault(MessageSystemAttributeName.SENT_TIMESTAMP,
        Long.toString(System.currentTimeMillis())));
    long j = jitter.toMillis();
    long deliverAt = sent + delay.toMillis() + (j == 0 ? 0 : ThreadLocalRandom.current().nextLong(-j, j + 1));
    long wait = deliverAt - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
    if (!awaitOpen()) {
      return; // closing: the message stays queued
    }
    try {
      JsonNode event = JSON.readTree(message.body());
      List<String> resources = new ArrayList<>();
      event.path("resources").forEach(r -> resources.add(r.asText()));
      PutEventsRequestEntry.Builder entry = PutEventsRequestEntry.builder()
          .eventBusName(targetBusName)
          .source(event.path("source").asText())
          .detailType(event.path("detail-type").asText())
          .detail(JSON.writeValueAsString(event.path("detail")))
          .resources(resources);
      if (event.hasNonNull("time")) {
        entry.time(Instant.parse(event.get("time").asText()));
      }
      PutEventsResponse response = targetBus.putEvents(b -> b.entries(entry.build()));
      if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
        failed.incrementAndGet();
        log.accept("event link " + from + "->" + to + ": PutEvents refused " + response.entries());
        return; // left queued: redelivered after the visibility timeout
      }
      sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      forwarded.incrementAndGet();
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      failed.incrementAndGet();
      log.accept("event link " + from + "->" + to + ": cannot forward " + message.messageId() + ": " + e.getMessage());
    }
  }

  public Status status() {
    long queued;
    try {
      Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
          .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
          .attributes();
      queued = Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
          + Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    } catch (SdkException e) {
      queued = -1;
    }
    synchronized (this) {
      return new Status(from, to, delay.toMillis(), paused.isEmpty() ? Set.of() : EnumSet.copyOf(paused),
          forwarded.get(), failed.get(), queued);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    synchronized (this) {
      notifyAll();
    }
    thread.interrupt();
  }
}
