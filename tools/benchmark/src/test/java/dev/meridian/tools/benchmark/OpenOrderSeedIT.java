package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.adapter.dynamodb.Backoff;
import dev.meridian.adapter.dynamodb.DynamoDbCatalogRepository;
import dev.meridian.adapter.dynamodb.DynamoDbOrderRepository;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.application.orders.OrderService;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.order.CancelOrder;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.testkit.emulator.Emulator;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Seeded open orders are what the code reads as open orders: the real DynamoDB adapters find each one with its hold,
 * count its unit as reserved, place more on top, and release a seeded hold when its order is cancelled.
 */
@ExtendWith(EmulatorExtension.class)
class OpenOrderSeedIT {
  private static final String REGION = "us-east-1";
  private static final String TABLE = "meridian-open-orders";
  private static final int OPEN_ORDERS = 60;

  @Test
  void theAdaptersReadSeededOrdersAsOpenOrdersAndPlaceAndCancelOnTopOfThem(Emulator emulator) {
    try (DynamoDbClient dynamoDb = emulator.dynamoDb(REGION)) {
      dynamoDb.createTable(TableDesign.createTableRequest(TABLE));
      HybridLogicalClock clock = HybridLogicalClock.system(REGION);
      Product mug = Product.create(new UpsertProduct(ProductId.of("mug"), "Mug", "A mug", Money.of(450, "EUR"), true),
          clock.now());
      RegionStock stocked = RegionStock.empty(mug.id(), REGION).restock(100);
      put(dynamoDb, List.of(Items.product(mug, 1, REGION), Items.shard(stocked.head(), REGION)));
      OpenOrderSeed seed = new OpenOrderSeed(mug, stocked, clock, () -> 0);
      List<Map<String, AttributeValue>> items = new ArrayList<>();
      seed.writeTo(OPEN_ORDERS, items::add);
      for (int from = 0; from < items.size(); from += 25) {
        put(dynamoDb, items.subList(from, Math.min(items.size(), from + 25)));
      }
      DynamoDbCatalogRepository catalog = new DynamoDbCatalogRepository(dynamoDb, TABLE, REGION, List.of(REGION));
      OrderService orders = new OrderService(new DynamoDbOrderRepository(dynamoDb, TABLE, REGION, List.of(REGION), Clock.systemUTC(),
          Backoff.transactions(1)), catalog, clock, Optional::empty, () -> 0);

      PlaceOrder seeded = seed.command(7);
      Order found = orders.get(seeded.orderId(), seeded.customer()).orElseThrow().value();
      assertThat(found.reservations().get(REGION).state()).isEqualTo(ReservationState.RESERVED);
      assertThat(found.units()).containsEntry(mug.id(), 1);
      assertThat(catalog.stock(mug.id(), REGION).reserved()).isEqualTo(OPEN_ORDERS);

      PlaceOrder another = new PlaceOrder(new CustomerId("alice"), new IdempotencyKey("after-the-seed"),
          List.of(new PlaceOrder.Line("mug", 2)));
      assertThat(orders.place(another)).isInstanceOf(OrderService.Placed.class);
      assertThat(orders.cancel(new CancelOrder(seeded.orderId(), seeded.customer())))
          .isInstanceOf(OrderService.Cancelled.class);

      RegionStock after = catalog.stock(mug.id(), REGION);
      assertThat(after.reserved()).isEqualTo(OPEN_ORDERS + 2 - 1);
      assertThat(after.available()).isEqualTo(100 - OPEN_ORDERS - 2 + 1);
      assertThat(after.head().revision()).as("the restock, one per seeded order, the placement, the cancellation")
          .isEqualTo(1 + OPEN_ORDERS + 2);
      assertThat(orders.get(seeded.orderId(), seeded.customer()).orElseThrow().value().reservations().get(REGION).state())
          .isEqualTo(ReservationState.RELEASED);
    }
  }

  private static void put(DynamoDbClient dynamoDb, List<Map<String, AttributeValue>> items) {
    List<WriteRequest> writes = items.stream()
        .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()).toList();
    assertThat(dynamoDb.batchWriteItem(b -> b.requestItems(Map.of(TABLE, writes))).unprocessedItems()).isEmpty();
  }
}
