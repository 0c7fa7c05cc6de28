package dev.meridian.adapter.messaging.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.application.replication.Change;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.StockAllocation;
import org.junit.jupiter.api.Test;

/** A change event survives its wire form: what the publisher puts is what the reconciler reads. */
class ChangeEventJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HlcStamp CLOCK = new HlcStamp(1_764_000_000_000L, 0, "us-east-1");

  /** The EventBridge event the reconcile queue receives for a PutEvents entry. */
  private static String asQueued(ChangeEvent event) throws Exception {
    ObjectNode queued = JSON.createObjectNode();
    queued.put("version", "0");
    queued.put("id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718");
    queued.put("detail-type", ChangeEventJson.detailType(event));
    queued.put("source", ChangeEventJson.SOURCE);
    queued.put("account", "123456789012");
    queued.put("time", "2026-11-26T08:00:00Z");
    queued.put("region", "eu-west-1");
    queued.putArray("resources");
    queued.set("detail", JSON.readTree(ChangeEventJson.detail(event)));
    return JSON.writeValueAsString(queued);
  }

  @Test
  void anAllocationWithAGivenTransferRoundTripsWithItsRevision() throws Exception {
    // The allocation's revision is its item version, which the event's state leaves out: the
    // reconciler dead-lettered every AllocationChanged event as "version is missing" before.
    StockAllocation allocation = StockAllocation.empty(ProductId.of("latte-mug"), "us-east-1").restock(5)
        .give("eu-west-1", 2);
    ChangeEvent event = ChangeEvent.of("us-east-1", allocation.revision(), CLOCK, new Change.AllocationChange(allocation));

    ChangeEvent read = ChangeEventJson.fromEventBridgeEvent(asQueued(event));

    assertThat(read).isEqualTo(event);
    assertThat(((Change.AllocationChange) read.change()).allocation().outgoing()).hasSize(1);
  }

  @Test
  void aProductRoundTrips() throws Exception {
    Product product = Product.create(new UpsertProduct(ProductId.of("latte-mug"), "Latte mug", "Stoneware",
        Money.of(1_200, "EUR"), true), CLOCK);
    ChangeEvent event = ChangeEvent.of("us-east-1", 3, CLOCK, new Change.ProductChange(product));

    assertThat(ChangeEventJson.fromEventBridgeEvent(asQueued(event))).isEqualTo(event);
  }
}
