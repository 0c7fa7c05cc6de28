package dev.meridian.publisher;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.AwsClients;
import dev.meridian.adapter.dynamodb.CorruptItemException;
import dev.meridian.adapter.dynamodb.StoredChanges;
import dev.meridian.adapter.dynamodb.StreamImages;
import dev.meridian.adapter.events.EventBridgeChangePublisher;
import dev.meridian.app.StoreUnavailableException;
import dev.meridian.app.replication.ChangePublisher;
import dev.meridian.app.replication.PublishService;
import dev.meridian.app.replication.StoredChange;
import dev.meridian.config.MeridianConfig;
import dev.meridian.domain.clock.HybridLogicalClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The publisher function: the table's DynamoDB stream in, one change event per write of this
 * region's on the region's bus out ({@link PublishService}).
 *
 * <p>Failure handling, in order: the adapter retries refused PutEvents entries; records still
 * refused, and records whose image does not decode, are answered as batch item failures
 * ({@code ReportBatchItemFailures}), so Lambda retries the stream from the first of them, bisects
 * the batch, and after {@code MaximumRetryAttempts} sends the records' coordinates to the
 * on-failure destination (a queue with an alarm). Nothing is skipped silently: every skip is
 * either a replicated write (another region publishes it) or an entity that is not published.
 */
public final class PublisherHandler implements RequestStreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PublisherHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PublishService publish;
  private final Metrics metrics;

  /** The Lambda entry point: configuration from the environment, real clients. */
  public PublisherHandler() {
    this(MeridianConfig.fromEnvironment());
  }

  private PublisherHandler(MeridianConfig config) {
    this(config, new EventBridgeChangePublisher(AwsClients.forApi(EventBridgeClient.builder(), config.region()),
        config.eventBusName()),
        MetricsFactory.getMetricsInstance());
  }

  /** For tests: injected publisher. */
  PublisherHandler(MeridianConfig config, ChangePublisher publisher, Metrics metrics) {
    this.publish = new PublishService(HybridLogicalClock.system(config.region()), publisher);
    this.metrics = metrics;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonNode event = JSON.readTree(input);
    ObjectNode response = context == null ? handle(event)
        : PowertoolsLogging.withLogging(context, () -> handle(event));
    JSON.writeValue(output, response);
  }

  ObjectNode handle(JsonNode event) {
    List<StoredChange> changes = new ArrayList<>();
    Set<String> failed = new LinkedHashSet<>();
    List<String> order = new ArrayList<>();
    int removals = 0;
    for (JsonNode record : event.path("Records")) {
      String position = record.path("dynamodb").path("SequenceNumber").asText("");
      order.add(position);
      if ("REMOVE".equals(record.path("eventName").asText())) {
        removals++; // TTL expiry of refusal records: nothing replicates through events
        continue;
      }
      try {
        StoredChanges.of(position, StreamImages.read(record.path("dynamodb").get("NewImage"))).ifPresent(changes::add);
      } catch (CorruptItemException e) {
        LOG.error("stream record does not decode; failing it so it is retried and then sent to the on-failure destination",
            entry("sequenceNumber", position), entry("reason", e.getMessage()));
        failed.add(position);
      }
    }
    PublishService.Report report;
    try {
      report = publish.publish(changes);
    } catch (StoreUnavailableException e) {
      LOG.error("event bus unreachable; failing the batch for Lambda to retry", entry("reason", e.getMessage()));
      changes.forEach(c -> failed.add(c.position()));
      report = new PublishService.Report(0, 0, List.of());
    }
    failed.addAll(report.failedPositions());
    if (!report.failedPositions().isEmpty()) {
      LOG.warn("bus refused events after retries", entry("failedPositions", report.failedPositions()));
    }
    PublishService.Report done = report;
    flushMetrics(m -> {
      m.addMetric("EventsPublished", done.published(), MetricUnit.COUNT);
      m.addMetric("EventsPublishFailed", failed.size(), MetricUnit.COUNT);
    });
    LOG.info("batch published", entry("records", order.size()), entry("published", report.published()),
        entry("replicatedSkipped", report.skipped()), entry("removals", removals), entry("failed", failed.size()));
    ObjectNode response = JSON.createObjectNode();
    ArrayNode failures = response.putArray("batchItemFailures");
    // In stream order: Lambda resumes from the lowest failed sequence number.
    order.stream().filter(failed::contains).distinct().forEach(p -> failures.addObject().put("itemIdentifier", p));
    return response;
  }
  /** Metrics never fail an invocation: a batch whose work is done must not be redelivered for them. */
  private void flushMetrics(java.util.function.Consumer<Metrics> add) {
    try {
      metrics.flushMetrics(add);
    } catch (RuntimeException e) {
      LOG.warn("metrics not flushed (is POWERTOOLS_METRICS_NAMESPACE set?)", entry("reason", e.getMessage()));
    }
  }
}
