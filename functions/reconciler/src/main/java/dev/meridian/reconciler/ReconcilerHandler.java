package dev.meridian.reconciler;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.AwsClients;
import dev.meridian.adapter.Wiring;
import dev.meridian.adapter.events.ChangeEventJson;
import dev.meridian.adapter.events.MalformedEventException;
import dev.meridian.app.StoreUnavailableException;
import dev.meridian.app.replication.ChangeEvent;
import dev.meridian.app.replication.ReconcileService;
import dev.meridian.config.MeridianConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The reconciler function: SQS batches of remote change events (EventBridge → reconcile queue),
 * each applied by {@link ReconcileService}, answered with {@code ReportBatchItemFailures}.
 *
 * <ul>
 *   <li>applied (merged, copied, contained, released, received): deleted from the queue;</li>
 *   <li>not an event this code can apply (malformed, unknown schema version or type, from this
 *       region): sent to the dead-letter queue at once with the reason as a message attribute
 *       and a log line, never failing the rest of the batch (and never retried: it would fail
 *       the same way);</li>
 *   <li>a transient failure (DynamoDB unavailable, lost races): reported as a batch item failure,
 *       so SQS redelivers it after the visibility timeout, and after {@code maxReceiveCount}
 *       the queue's redrive policy dead-letters it.</li>
 * </ul>
 * A scheduled event (EventBridge {@code Scheduled Event}) runs {@link ReconcileService#sweep}.
 * Metrics (EMF): ConflictsMerged, EventsApplied, EventsRejected, EventsRetried,
 * TransferUnitsReceived, TransferUnitsGiven, PendingOrdersConfirmed / Cancelled / Waiting,
 * HoldsReleased, EventLag (milliseconds from the write's clock to its application here).
 */
public final class ReconcilerHandler implements RequestStreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcilerHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String REASON_ATTRIBUTE = "meridian-rejection";

  private final MeridianConfig config;
  private final ReconcileService reconcile;
  private final SqsClient sqs;
  private final Metrics metrics;
  private final Clock wallClock;

  /** The Lambda entry point: configuration from the environment, real clients. */
  public ReconcilerHandler() {
    this(MeridianConfig.fromEnvironment());
  }

  private ReconcilerHandler(MeridianConfig config) {
    this(config, AwsClients.forApi(DynamoDbClient.builder(), config.region()),
        AwsClients.forApi(SqsClient.builder(), config.region()),
        MetricsFactory.getMetricsInstance(), Clock.systemUTC());
  }

  /** For tests: injected clients. */
  ReconcilerHandler(MeridianConfig config, DynamoDbClient dynamoDb, SqsClient sqs, Metrics metrics, Clock wallClock) {
    if (config.reconcileDeadLetterQueueUrl().isEmpty()) {
      throw new IllegalStateException(MeridianConfig.RECONCILE_DEAD_LETTER_QUEUE_URL
          + " must name the dead-letter queue: malformed events go there");
    }
    this.config = config;
    this.sqs = sqs;
    this.metrics = metrics;
    this.wallClock = wallClock;
    this.reconcile = new Wiring(config, dynamoDb, wallClock).reconcile();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonNode event = JSON.readTree(input);
    ObjectNode response = context == null ? handle(event)
        : PowertoolsLogging.withLogging(context, () -> handle(event));
    JSON.writeValue(output, response);
  }

  ObjectNode handle(JsonNode event) {
    if ("aws.events".equals(event.path("source").asText()) && "Scheduled Event".equals(event.path("detail-type").asText())) {
      return sweep();
    }
    ObjectNode response = JSON.createObjectNode();
    ArrayNode failures = response.putArray("batchItemFailures");
    Tally tally = new Tally();
    for (JsonNode message : event.path("Records")) {
      String messageId = message.path("messageId").asText("");
      if (!process(messageId, message.path("body").asText(""), tally)) {
        failures.addObject().put("itemIdentifier", messageId);
      }
    }
    flushMetrics(m -> {
      m.addMetric("EventsApplied", tally.applied, MetricUnit.COUNT);
      m.addMetric("EventsRejected", tally.rejected, MetricUnit.COUNT);
      m.addMetric("EventsRetried", tally.retried, MetricUnit.COUNT);
      m.addMetric("ConflictsMerged", tally.conflicts, MetricUnit.COUNT);
      m.addMetric("TransferUnitsReceived", tally.unitsReceived, MetricUnit.COUNT);
      m.addMetric("TransferUnitsGiven", tally.unitsGiven, MetricUnit.COUNT);
      m.addMetric("PendingOrdersConfirmed", tally.confirmed, MetricUnit.COUNT);
      m.addMetric("HoldsReleased", tally.released, MetricUnit.COUNT);
      if (tally.maxLagMs >= 0) {
        m.addMetric("EventLag", tally.maxLagMs, MetricUnit.MILLISECONDS);
      }
    });
    return response;
  }

  /**
   * The schedule: settle this region's orders pending stock (confirm what local units now cover,
   * cancel what waited past the timeout). A failure fails the invocation, so the Errors metric
   * shows it; the next tick tries again.
   */
  private ObjectNode sweep() {
    ReconcileService.SweepReport report = reconcile.sweep();
    if (report.confirmed() + report.cancelled() > 0) {
      LOG.info("pending orders settled", entry("confirmed", report.confirmed()), entry("cancelled", report.cancelled()),
          entry("stillPending", report.stillPending()));
    }
    flushMetrics(m -> {
      m.addMetric("PendingOrdersConfirmed", report.confirmed(), MetricUnit.COUNT);
      m.addMetric("PendingOrdersCancelled", report.cancelled(), MetricUnit.COUNT);
      m.addMetric("PendingOrdersWaiting", report.stillPending(), MetricUnit.COUNT);
    });
    ObjectNode response = JSON.createObjectNode();
    response.put("confirmed", report.confirmed());
    response.put("cancelled", report.cancelled());
    response.put("stillPending", report.stillPending());
    return response;
  }

  /** @return true when the message is done with (applied or dead-lettered), false to have it redelivered */
  private boolean process(String messageId, String body, Tally tally) {
    ChangeEvent change;
    try {
      change = ChangeEventJson.fromEventBridgeEvent(body);
      if (change.originRegion().equals(config.region())) {
        throw new MalformedEventException("event originated in this region: the queue rule should never deliver it");
      }
    } catch (MalformedEventException e) {
      return deadLetter(messageId, body, e.getMessage(), tally);
    }
    try {
      ReconcileService.Outcome outcome = reconcile.apply(change);
      tally.applied++;
      tally.conflicts += outcome.conflicts().size();
      tally.unitsReceived += outcome.unitsReceived();
      tally.unitsGiven += outcome.unitsGiven();
      tally.confirmed += outcome.confirmed();
      tally.released += outcome.releasedHold() ? 1 : 0;
      long lag = Math.max(0, wallClock.millis() - change.clock().physicalMillis());
      tally.maxLagMs = Math.max(tally.maxLagMs, lag);
      if (outcome.action() != ReconcileService.Action.CONTAINED && outcome.action() != ReconcileService.Action.NOT_ADDRESSED) {
        LOG.info("event applied", entry("eventId", change.eventId()), entry("entity", change.entity()),
            entry("key", change.key()), entry("action", outcome.action()), entry("conflicts", outcome.conflicts().size()),
            entry("releasedHold", outcome.releasedHold()), entry("unitsReceived", outcome.unitsReceived()),
            entry("unitsGiven", outcome.unitsGiven()), entry("confirmed", outcome.confirmed()),
            entry("lagMs", lag));
      }
      return true;
    } catch (StoreUnavailableException | ReconcileService.ContentionException e) {
      tally.retried++;
      LOG.warn("event not applied now; it will be redelivered", entry("eventId", change.eventId()),
          entry("reason", e.getMessage()));
      return false;
    } catch (RuntimeException e) {
      // A state this region cannot merge (a bug, or a local item that does not decode): the redrive
      // policy dead-letters it after its retries, with the stack trace in the log for each.
      tally.retried++;
      LOG.error("event failed unexpectedly; it will be redelivered, then dead-lettered", entry("eventId", change.eventId()), e);
      return false;
    }
  }

  private boolean deadLetter(String messageId, String body, String reason, Tally tally) {
    String eventId = ChangeEventJson.eventIdOf(body).orElse("none");
    try {
      sqs.sendMessage(SendMessageRequest.builder()
          .queueUrl(config.reconcileDeadLetterQueueUrl().orElseThrow())
          .messageBody(body.isEmpty() ? "(empty body)" : body)
          .messageAttributes(Map.of(REASON_ATTRIBUTE, MessageAttributeValue.builder()
              .dataType("String").stringValue(truncate(reason)).build()))
          .build());
    } catch (SdkException e) {
      tally.retried++;
      LOG.error("could not dead-letter a rejected event; it will be redelivered", entry("messageId", messageId),
          entry("reason", reason), entry("sqsError", e.getMessage()));
      return false;
    }
    tally.rejected++;
    LOG.warn("event rejected and dead-lettered", entry("messageId", messageId), entry("eventId", eventId),
        entry("reason", reason));
    return true;
  }

  private static String truncate(String reason) {
    return reason.length() <= 1_000 ? reason : reason.substring(0, 1_000);
  }

  /** Metrics never fail an invocation: a batch whose work is done must not be redelivered for them. */
  private void flushMetrics(java.util.function.Consumer<Metrics> add) {
    try {
      metrics.flushMetrics(add);
    } catch (RuntimeException e) {
      LOG.warn("metrics not flushed (is POWERTOOLS_METRICS_NAMESPACE set?)", entry("reason", e.getMessage()));
    }
  }

  private static final class Tally {
    int applied;
    int rejected;
    int retried;
    int conflicts;
    long unitsReceived;
    long unitsGiven;
    int confirmed;
    int released;
    long maxLagMs = -1;
  }
}
