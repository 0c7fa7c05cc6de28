package dev.meridian.function.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.application.StoreUnavailableException;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.application.replication.ChangePublisher;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.bootstrap.publisher.PublisherWiring;
import dev.meridian.testkit.SampleEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * {@code events/publisher-stream.json} through the real handler in {@value #ORIGIN}
 * with the bus replaced: the region's five writes (a product, an order item, its hold and two
 * stock shards) are published, the replicated write and the
 * heartbeat are not, and every failure comes back as a batch item failure naming exactly the
 * records that must be retried, in stream order (docs/data-and-events.md, "Publisher failure cases").
 */
class PublisherStreamSampleTest {
  /** The region whose stream the sample is (it also holds one replicated write of eu-west-1's). */
  private static final String ORIGIN = "us-east-1";
  private static final String PRODUCT_RECORD = "4421584500000000001745044909";
  private static final String ORDER_RECORD = "4421584500000000001745045909";
  private static final String HOLD_RECORD = "4421584500000000001745046909";
  private static final String SHARD_RECORD = "4421584500000000001745047909";
  private static final String ALLOCATION_RECORD = "4421584500000000001745049909";
  private static final String HEARTBEAT_RECORD = "4421584500000000001745050909";

  private final RecordingMetrics metrics = new RecordingMetrics();
  private final List<ChangeEvent> published = new ArrayList<>();

  private ObjectNode handle(ChangePublisher bus) {
    return handle(bus, SampleEvent.load("publisher-stream").tree());
  }

  private ObjectNode handle(ChangePublisher bus, JsonNode event) {
    Map<String, String> env = Map.of(MeridianConfig.AWS_REGION, ORIGIN, MeridianConfig.TABLE_NAME, "meridian");
    return (ObjectNode) new PublisherHandler(PublisherWiring.of(env, bus, metrics)).handle(event);
  }

  /** The id of the order the sample's order record carries. */
  private static String sampleOrderId() {
    for (JsonNode record : SampleEvent.load("publisher-stream").tree().path("Records")) {
      if (ORDER_RECORD.equals(record.path("dynamodb").path("SequenceNumber").asText())) {
        return record.path("dynamodb").path("NewImage").path("pk").path("S").asText().substring("ORDER#".length());
      }
    }
    throw new AssertionError("the sample has no record " + ORDER_RECORD);
  }

  private static List<String> failures(ObjectNode response) {
    return response.path("batchItemFailures").findValuesAsText("itemIdentifier");
  }

  @Test
  void publishesThisRegionsFiveWritesAndNothingElse() {
    ObjectNode response = handle(events -> {
      published.addAll(events);
      return List.of();
    });
    assertThat(failures(response)).isEmpty();
    String order = sampleOrderId();
    assertThat(published).extracting(ChangeEvent::eventId).containsExactly("us-east-1/product/cup/2",
        "us-east-1/order/" + order + "/1", "us-east-1/hold/" + order + "@us-east-1/1",
        "us-east-1/allocation/cup@us-east-1#1/2", "us-east-1/allocation/cup@us-east-1/4");
    assertThat(metrics.values).containsEntry("EventsPublished", 5.0).containsEntry("EventsPublishFailed", 0.0);
  }

  @Test
  void anEventTheBusStillRefusesFailsOnlyItsRecord() {
    ObjectNode response = handle(events -> events.stream().filter(e -> e.entity().equals("hold")).toList());
    assertThat(failures(response)).containsExactly(HOLD_RECORD);
    assertThat(metrics.values).containsEntry("EventsPublished", 4.0).containsEntry("EventsPublishFailed", 1.0);
  }

  @Test
  void anUnreachableBusFailsEveryRecordToPublishInStreamOrder() {
    ObjectNode response = handle(events -> {
      throw new StoreUnavailableException("EventBridge refused PutEvents 4 times: connection refused", null);
    });
    // Lambda resumes a stream from the lowest failed sequence number: the first write to publish.
    assertThat(failures(response)).startsWith(PRODUCT_RECORD)
        .containsSubsequence(ORDER_RECORD, HOLD_RECORD, SHARD_RECORD, ALLOCATION_RECORD).doesNotContain(HEARTBEAT_RECORD);
  }

  @Test
  void anImageThatDoesNotDecodeIsFailedNotSkipped() {
    ObjectNode stream = SampleEvent.load("publisher-stream").tree();
    for (JsonNode record : stream.path("Records")) {
      if (record.at("/dynamodb/SequenceNumber").asText().equals(ALLOCATION_RECORD)) {
        ((ObjectNode) record.at("/dynamodb/NewImage/available")).put("N", "lots");
      }
    }
    ObjectNode response = handle(events -> {
      published.addAll(events);
      return List.of();
    }, stream);
    assertThat(failures(response)).containsExactly(ALLOCATION_RECORD);
    assertThat(published).extracting(ChangeEvent::entity).containsExactly("product", "order", "hold", "allocation");
  }

  /** Records what the handler flushes instead of printing EMF. */
  private static final class RecordingMetrics implements Metrics {
    final Map<String, Double> values = new TreeMap<>();

    @Override
    public void addMetric(String key, double value, MetricUnit unit, MetricResolution resolution) {
      values.merge(key, value, Double::sum);
    }

    @Override
    public void flushMetrics(Consumer<Metrics> metricsConsumer) {
      metricsConsumer.accept(this);
    }

    @Override
    public void addDimension(DimensionSet dimensionSet) {}

    @Override
    public void setTimestamp(Instant timestamp) {}

    @Override
    public void addMetadata(String key, Object value) {}

    @Override
    public void setDefaultDimensions(DimensionSet dimensionSet) {}

    @Override
    public DimensionSet getDefaultDimensions() {
      return DimensionSet.of(Map.of());
    }

    @Override
    public void setNamespace(String namespace) {}

    @Override
    public void setRaiseOnEmptyMetrics(boolean raiseOnEmptyMetrics) {}

    @Override
    public void clearDefaultDimensions() {}

    @Override
    public void flush() {}

    @Override
    public void captureColdStartMetric(Context context, DimensionSet dimensions) {}

    @Override
    public void captureColdStartMetric(DimensionSet dimensions) {}
  }
}
