package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.adapter.dynamodb.Backoff;
import dev.meridian.adapter.dynamodb.DynamoDbCatalogRepository;
import dev.meridian.adapter.dynamodb.DynamoDbOrderRepository;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.application.orders.OrderService;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

class OpenOrderSeedTest {
  private static final String REGION = "us-east-1";
  private static final String TABLE = "meridian";
  private static final long NOW = 1_764_158_400_000L;
  private static final Product MUG = Product.create(new UpsertProduct(ProductId.of("mug"), "Mug", "A mug",
      Money.of(450, "EUR"), true), new HlcStamp(NOW - 60_000, 0, REGION));
  private static final RegionStock TEN_IN_STOCK = RegionStock.empty(MUG.id(), REGION).restock(10);

  private static HybridLogicalClock clockAtNow() {
    return new HybridLogicalClock(REGION, () -> NOW, HybridLogicalClock.DEFAULT_MAX_SKEW);
  }

  @Test
  void aSeededOrderIsWhatThePlacementOfTheSameRequestWrites() {
    RecordingTable table = new RecordingTable().with(Items.product(MUG, 1, REGION))
        .with(Items.shard(TEN_IN_STOCK.head(), REGION));
    DynamoDbCatalogRepository catalog = new DynamoDbCatalogRepository(table, TABLE, REGION, List.of(REGION));
    OrderService orders = new OrderService(new DynamoDbOrderRepository(table, TABLE, REGION, List.of(REGION),
        Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), Backoff.transactions(1)), catalog, clockAtNow(),
        Optional::empty, () -> 0);
    OpenOrderSeed seed = new OpenOrderSeed(MUG, TEN_IN_STOCK, clockAtNow(), () -> 0);

    assertThat(orders.place(seed.command(0))).isInstanceOf(OrderService.Placed.class);
    List<Map<String, AttributeValue>> seeded = new ArrayList<>();
    seed.writeTo(1, seeded::add);

    TransactWriteItemsRequest placement = table.transactions.getFirst();
    assertThat(placement.transactItems()).hasSize(3);
    assertThat(seeded).hasSize(3);
    assertThat(seeded.subList(0, 2)).as("the order item, then the hold item")
        .containsExactlyElementsOf(placement.transactItems().stream().map(TransactWriteItem::put)
            .filter(put -> put != null).map(put -> put.item()).toList());
    Update decrement = placement.transactItems().get(2).update();
    assertThat(seeded.get(2)).containsAllEntriesOf(decrement.key());
    assertThat(decrement.expressionAttributeValues()).containsEntry(":d0", AttributeValue.fromN("-1"))
        .containsEntry(":d1", AttributeValue.fromN("1"));
    StockAllocation shard = Items.allocation(seeded.get(2));
    assertThat(shard.available()).isEqualTo(9);
    assertThat(shard.reserved()).isEqualTo(1);
    assertThat(shard.revision()).as("one counter update more than the restock's").isEqualTo(2);
  }

  @Test
  void everyOrderComesAsItsOrderAndHoldThenTheShardOnceWithEveryUnitReserved() {
    List<Map<String, AttributeValue>> seeded = new ArrayList<>();

    RegionStock after = new OpenOrderSeed(MUG, TEN_IN_STOCK, clockAtNow(), () -> 0).writeTo(4, seeded::add);

    assertThat(seeded).hasSize(4 * 2 + 1);
    assertThat(IntStream.range(0, 8).mapToObj(i -> seeded.get(i).get("sk").s()).toList())
        .containsExactly("ORDER", "HOLD#us-east-1", "ORDER", "HOLD#us-east-1", "ORDER", "HOLD#us-east-1", "ORDER",
            "HOLD#us-east-1");
    assertThat(seeded.stream().map(item -> item.get("pk").s()).distinct().count()).as("4 orders, 1 shard").isEqualTo(5);
    assertThat(Items.allocation(seeded.get(8))).isEqualTo(after.head());
    assertThat(after.head().reserved()).isEqualTo(4);
    assertThat(after.head().available()).isEqualTo(6);
    assertThat(after.head().revision()).isEqualTo(5);
  }

  @Test
  void onAShardedProductEachOrderTakesItsShardAsAPlacementDoesAndEveryChangedShardIsWritten() {
    RegionStock fourShards = TEN_IN_STOCK.reshard(4);
    AtomicInteger start = new AtomicInteger();
    List<Map<String, AttributeValue>> seeded = new ArrayList<>();

    RegionStock after = new OpenOrderSeed(MUG, fourShards, clockAtNow(), start::getAndIncrement).writeTo(4, seeded::add);

    List<StockAllocation> shards = seeded.subList(8, seeded.size()).stream().map(Items::allocation).toList();
    assertThat(shards).extracting(StockAllocation::shard).containsExactly(0, 1, 2, 3);
    assertThat(shards).allSatisfy(shard -> assertThat(shard.reserved()).isEqualTo(1));
    assertThat(Items.hold(seeded.get(3)).takenFrom().get(MUG.id())).containsOnlyKeys(1);
    assertThat(after.reserved()).isEqualTo(4);
  }

  @Test
  void moreOrdersThanUnitsIsRefused() {
    OpenOrderSeed seed = new OpenOrderSeed(MUG, TEN_IN_STOCK, clockAtNow(), () -> 0);

    assertThatThrownBy(() -> seed.writeTo(11, item -> { })).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("seeded order 10");
  }

  @Test
  void theStockMustBeTheProductsInTheClocksRegion() {
    RegionStock elsewhere = RegionStock.empty(MUG.id(), "eu-west-1").restock(10);

    assertThatThrownBy(() -> new OpenOrderSeed(MUG, elsewhere, clockAtNow(), () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
