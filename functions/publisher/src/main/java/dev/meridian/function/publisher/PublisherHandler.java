package dev.meridian.function.publisher;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.adapter.lambda.BatchItemFailures;
import dev.meridian.adapter.lambda.JsonHandlers;
import dev.meridian.adapter.lambda.MetricsFlush;
import dev.meridian.application.StoreUnavailableException;
import dev.meridian.application.replication.PublishService;
import dev.meridian.application.replication.StoredChange;
import dev.meridian.application.replication.UnreadableChangeException;
import dev.meridian.bootstrap.publisher.PublisherWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

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

  private final PublisherWiring wiring;

  /** The Lambda entry point: configuration from the environment, real clients. */
  public PublisherHandler() {
    this(PublisherWiring.fromEnvironment());
  }

  /** The same function on a given wiring (tests). */
  public PublisherHandler(PublisherWiring wiring) {
    this.wiring = wiring;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonHandlers.handle(input, output, context, this::handle);
  }

  JsonNode handle(JsonNode event) {
    List<StoredChange> changes = new ArrayList<>();
    BatchItemFailures failures = new BatchItemFailures();
    int unpublished = 0;
    for (JsonNode record : event.path("Records")) {
      String position = record.path("dynamodb").path("SequenceNumber").asText("");
      failures.seen(position);
      try {
        Optional<StoredChange> change = wiring.stream().read(record);
        change.ifPresent(changes::add);
        unpublished += change.isEmpty() ? 1 : 0;
      } catch (UnreadableChangeException e) {
        LOG.error("stream record does not decode; failing it so it is retried and then sent to the on-failure destination",
            entry("sequenceNumber", position), entry("reason", e.getMessage()));
        failures.fail(position);
      }
    }
    PublishService.Report report;
    try {
      report = wiring.publish().publish(changes);
    } catch (StoreUnavailableException e) {
      LOG.error("event bus unreachable; failing the batch for Lambda to retry", entry("reason", e.getMessage()));
      failures.failAll(changes.stream().map(StoredChange::position).toList());
      report = new PublishService.Report(0, 0, List.of());
    }
    failures.failAll(report.failedPositions());
    if (!report.failedPositions().isEmpty()) {
      LOG.warn("bus refused events after retries", entry("failedPositions", report.failedPositions()));
    }
    PublishService.Report done = report;
    MetricsFlush.flush(wiring.metrics(), m -> {
      m.addMetric("EventsPublished", done.published(), MetricUnit.COUNT);
      m.addMetric("EventsPublishFailed", failures.failedCount(), MetricUnit.COUNT);
    });
    LOG.info("batch published", entry("records", failures.seenCount()), entry("published", report.published()),
        entry("replicatedSkipped", report.skipped()), entry("notPublished", unpublished), entry("failed", failures.failedCount()));
    return failures.toJson();
  }
}
