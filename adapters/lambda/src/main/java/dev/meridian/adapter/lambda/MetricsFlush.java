package dev.meridian.adapter.lambda;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * Flushes Powertools metrics (one EMF line) so that metrics never fail an invocation: a batch whose
 * work is done must not be redelivered because a metric could not be written.
 */
public final class MetricsFlush {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsFlush.class);

  private MetricsFlush() {}

  public static void flush(Metrics metrics, Consumer<Metrics> add) {
    try {
      metrics.flushMetrics(add);
    } catch (RuntimeException e) {
      LOG.warn("metrics not flushed (is POWERTOOLS_METRICS_NAMESPACE set?)", entry("reason", e.getMessage()));
    }
  }
}
