package dev.meridian.tools.local.sources;

import dev.meridian.tools.local.lambda.Invoker;
import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Every event-source mapping and schedule of one region, started together: one {@link SqsPoller}
 * per SQS event, one {@link StreamPoller} per DynamoDB stream event, one {@link Scheduler} per
 * schedule, all invoking through the given {@link Invoker}. HTTP API events are not handled here.
 *
 * <pre>{@code
 * EventSources sources = EventSources.start(new EventSources.Config("eu-west-1", moto.endpoint(),
 *     model.functions(), queuesByLogicalId, Map.of(tableName, streamArn), invoker, 0.1));
 * sources.status();        // per source: delivered, failures, last error, paused, back-off
 * sources.queueStatus();   // per queue: visible / in flight (GetQueueAttributes, now)
 * sources.pauseAll();      // the region "fails": nothing is delivered until resumeAll()
 * sources.close();
 * }</pre>
 */
public final class EventSources implements AutoCloseable {

  /**
   * What to run for one region.
   *
   * @param endpoint          moto's endpoint
   * @param functions         the region's functions with their events
   * @param queues            the region's queues by logical id (for SQS events and OnFailure
   *                          destinations)
   * @param streamArnsByTable the region's stream ARN of each table a stream event names
   * @param timeFactor        scales schedule periods (0.1: a 1-minute rate fires every 6 s)
   */
  public record Config(String region, URI endpoint, List<FunctionSpec> functions, Map<String, QueueRef> queues,
      Map<String, String> streamArnsByTable, Invoker invoker, double timeFactor) {

    public Config {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(invoker, "invoker");
      functions = List.copyOf(functions);
      queues = Map.copyOf(queues);
      streamArnsByTable = Map.copyOf(streamArnsByTable);
    }
  }

  private final String region;
  private final SourceClients clients;
  private final SourceClients.Session queueSession;
  private final Map<String, EventSource> sources;
  private final Map<String, QueueRef> queues;

  private EventSources(String region, SourceClients clients, Map<String, EventSource> sources,
      Map<String, QueueRef> queues) {
    this.region = region;
    this.clients = clients;
    this.queueSession = clients.session(region);
    this.sources = sources;
    this.queues = queues;
  }

  /**
   * Creates and starts every source of {@code config}'s functions.
   *
   * @throws IllegalArgumentException if an event names a queue or table that is not given, or a
   *         resource of another region; nothing is left running then
   */
  public static EventSources start(Config config) {
    SourceClients clients = new SourceClients(config.endpoint());
    Map<String, EventSource> sources = new LinkedHashMap<>();
    try {
      for (FunctionSpec function : config.functions()) {
        for (EventSourceSpec event : function.events()) {
          EventSource source = create(config, clients, function.logicalId(), event);
          if (source != null && sources.putIfAbsent(source.id(), source) != null) {
            throw new IllegalArgumentException("duplicate event source " + source.id());
          }
        }
      }
    } catch (RuntimeException e) {
      sources.values().forEach(EventSource::close);
      clients.close();
      throw e;
    }
    EventSources started = new EventSources(config.region(), clients, sources, new LinkedHashMap<>(config.queues()));
    sources.values().forEach(EventSource::start);
    return started;
  }

  private static EventSource create(Config config, SourceClients clients, String function, EventSourceSpec event) {
    if (event instanceof EventSourceSpec.Sqs sqs) {
      QueueRef queue = queue(config, function, sqs.queueLogicalId());
      return new SqsPoller(function, sqs, queue, clients, config.invoker());
    }
    if (event instanceof EventSourceSpec.DynamoDbStream stream) {
      String arn = config.streamArnsByTable().get(stream.tableName());
      if (arn == null) {
        throw new IllegalArgumentException(function + "." + stream.name() + ": no stream ARN for table "
            + stream.tableName() + " in " + config.region());
      }
      requireRegion(config, function, arn);
      QueueRef onFailure = stream.onFailureQueueLogicalId() == null ? null
          : queue(config, function, stream.onFailureQueueLogicalId());
      return new StreamPoller(function, stream, arn, onFailure, clients, config.invoker());
    }
    if (event instanceof EventSourceSpec.Schedule schedule) {
      return new Scheduler(config.region(), function, schedule, config.invoker(), config.timeFactor());
    }
    return null; // HTTP routes belong to the HTTP API
  }

  private static QueueRef queue(Config config, String function, String logicalId) {
    QueueRef queue = config.queues().get(logicalId);
    if (queue == null) {
      throw new IllegalArgumentException(function + ": no queue " + logicalId + " in " + config.region());
    }
    requireRegion(config, function, queue.arn());
    return queue;
  }

  private static void requireRegion(Config config, String function, String arn) {
    if (!Arns.region(arn).equals(config.region())) {
      throw new IllegalArgumentException(function + ": " + arn + " is not in " + config.region());
    }
  }

  public String region() {
    return region;
  }

  /** The sources, in template order. */
  public List<EventSource> sources() {
    return List.copyOf(sources.values());
  }

  /** A source by {@code <FunctionLogicalId>.<EventName>}. */
  public Optional<EventSource> source(String id) {
    return Optional.ofNullable(sources.get(id));
  }

  /** A snapshot of every source. */
  public List<SourceStatus> status() {
    return sources.values().stream().map(EventSource::status).toList();
  }

  /** Every queue's depth, read now (one GetQueueAttributes per queue). */
  public List<QueueStatus> queueStatus() {
    List<QueueStatus> out = new ArrayList<>();
    SqsClient sqs = queueSession.sqs();
    for (QueueRef q : queues.values()) {
      try {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(q.url()).attributeNames(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        out.add(new QueueStatus(q.logicalId(), q.url(),
            count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
            count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
            count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED), null));
      } catch (RuntimeException e) {
        out.add(new QueueStatus(q.logicalId(), q.url(), -1, -1, -1, PollingSource.describe(e)));
      }
    }
    return out;
  }

  private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
    String value = attributes.get(name);
    return value == null ? 0 : Long.parseLong(value);
  }

  /** Pauses every source (a failed region); see {@link EventSource#pause()}. */
  public void pauseAll() {
    sources.values().forEach(EventSource::pause);
  }

  public void resumeAll() {
    sources.values().forEach(EventSource::resume);
  }

  /** @return false if there is no such source */
  public boolean pause(String id) {
    EventSource s = sources.get(id);
    if (s != null) {
      s.pause();
    }
    return s != null;
  }

  /** @return false if there is no such source */
  public boolean resume(String id) {
    EventSource s = sources.get(id);
    if (s != null) {
      s.resume();
    }
    return s != null;
  }

  /** Closes every source (in parallel: SQS long polls are aborted) and the connection pool. */
  @Override
  public void close() {
    List<Thread> closers = new ArrayList<>();
    for (EventSource s : sources.values()) {
      Thread t = new Thread(s::close, "event-source-close-" + s.id());
      t.setDaemon(true);
      t.start();
      closers.add(t);
    }
    for (Thread t : closers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    queueSession.close();
    clients.close();
  }
}
