package dev.meridian.function.reconciler;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.lambda.BatchItemFailures;
import dev.meridian.adapter.lambda.JsonHandlers;
import dev.meridian.adapter.lambda.MetricsFlush;
import dev.meridian.application.StoreUnavailableException;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.application.replication.ReconcileService;
import dev.meridian.application.replication.UnreadableChangeException;
import dev.meridian.bootstrap.reconciler.ReconcilerWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  private final ReconcilerWiring wiring;

  /** The Lambda entry point: configuration from the environment, real clients. */
  public ReconcilerHandler() {
    this(ReconcilerWiring.fromEnvironment());
  }

  /** The same function on a given wiring (tests). */
  public ReconcilerHandler(ReconcilerWiring wiring) {
    this.wiring = wiring;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonHandlers.handle(input, output, context, this::handle);
  }

  JsonNode handle(JsonNode event) {
    if ("aws.events".equals(event.path("source").asText()) && "Scheduled Event".equals(event.path("detail-type").asText())) {
      return sweep();
    }
    BatchItemFailures failures = new BatchItemFailures();
    Tally tally = new Tally();
    for (JsonNode message : event.path("Records")) {
      String messageId = message.path("messageId").asText("");
      failures.seen(messageId);
      if (!process(messageId, message.path("body").asText(""), tally)) {
        failures.fail(messageId);
      }
    }
    MetricsFlush.flush(wiring.metrics(), m -> {
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
    return failures.toJson();
  }

  /**
   * The schedule: settle this region's orders pending stock (confirm what local units now cover,
   * cancel what waited past the timeout). A failure fails the invocation, so the Errors metric
   * shows it; the next tick tries again.
   */
  private JsonNode sweep() {
    ReconcileService.SweepReport report = wiring.reconcile().sweep();
    if (report.confirmed() + report.cancelled() > 0) {
      LOG.info("pending orders settled", entry("confirmed", report.confirmed()), entry("cancelled", report.cancelled()),
          entry("stillPending", report.stillPending()));
    }
    MetricsFlush.flush(wiring.metrics(), m -> {
      m.addMetric("PendingOrdersConfirmed", report.confirmed(), MetricUnit.COUNT);
      m.addMetric("PendingOrdersCancelled", report.cancelled(), MetricUnit.COUNT);
      m.addMetric("PendingOrdersWaiting", report.stillPending(), MetricUnit.COUNT);
    });
    ObjectNode response = JsonHandlers.object();
    response.put("confirmed", report.confirmed());
    response.put("cancelled", report.cancelled());
    response.put("stillPending", report.stillPending());
    return response;
  }

  /** @return true when the message is done with (applied or dead-lettered), false to have it redelivered */
  private boolean process(String messageId, String body, Tally tally) {
    ChangeEvent change;
    try {
      change = wiring.events().read(body);
    } catch (UnreadableChangeException e) {
      return deadLetter(messageId, body, e.getMessage(), tally);
    }
    try {
      ReconcileService.Outcome outcome = wiring.reconcile().apply(change);
      tally.applied++;
      tally.conflicts += outcome.conflicts().size();
      tally.unitsReceived += outcome.unitsReceived();
      tally.unitsGiven += outcome.unitsGiven();
      tally.confirmed += outcome.confirmed();
      tally.released += outcome.releasedHold() ? 1 : 0;
      long lag = Math.max(0, wiring.wallClock().millis() - change.clock().physicalMillis());
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
    try {
      wiring.deadLetters().send(body, reason);
    } catch (StoreUnavailableException e) {
      tally.retried++;
      LOG.error("could not dead-letter a rejected event; it will be redelivered", entry("messageId", messageId),
          entry("reason", reason), entry("sqsError", e.getMessage()));
      return false;
    }
    tally.rejected++;
    LOG.warn("event rejected and dead-lettered", entry("messageId", messageId), entry("reason", reason));
    return true;
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
