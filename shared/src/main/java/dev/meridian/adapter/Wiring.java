package dev.meridian.adapter;

import dev.meridian.adapter.dynamodb.DynamoDbCatalogRepository;
import dev.meridian.adapter.dynamodb.DynamoDbConflictRepository;
import dev.meridian.adapter.dynamodb.DynamoDbControlRepository;
import dev.meridian.adapter.dynamodb.DynamoDbOrderRepository;
import dev.meridian.adapter.dynamodb.DynamoDbReplicaStore;
import dev.meridian.app.catalog.CatalogService;
import dev.meridian.app.control.ControlService;
import dev.meridian.app.orders.OrderService;
import dev.meridian.app.replication.ConflictLog;
import dev.meridian.app.replication.ReconcileService;
import dev.meridian.config.MeridianConfig;
import dev.meridian.domain.clock.HybridLogicalClock;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one place that composes adapters and use cases. Functions build it once per container
 * (in their init phase, before SnapStart's snapshot) and keep it.
 */
public final class Wiring {
  private final MeridianConfig config;
  private final DynamoDbClient dynamoDb;
  private final HybridLogicalClock clock;
  private final ControlService control;
  private final CatalogService catalog;
  private final OrderService orders;
  private final ReconcileService reconcile;
  private final ConflictLog conflicts;

  public Wiring(MeridianConfig config, DynamoDbClient dynamoDb, Clock wallClock) {
    this.config = config;
    this.dynamoDb = dynamoDb;
    this.clock = new HybridLogicalClock(config.region(), wallClock::millis, HybridLogicalClock.DEFAULT_MAX_SKEW);
    this.control = new ControlService(new DynamoDbControlRepository(dynamoDb, config.tableName(), config.region()),
        config.deployment());
    DynamoDbCatalogRepository catalogRepository = new DynamoDbCatalogRepository(dynamoDb, config.tableName(), config.region());
    this.catalog = new CatalogService(catalogRepository, clock, control);
    DynamoDbOrderRepository orderRepository = new DynamoDbOrderRepository(dynamoDb, config.tableName(), config.region(),
        wallClock);
    this.orders = new OrderService(orderRepository, catalogRepository, clock, control);
    this.reconcile = new ReconcileService(clock, config.stockPolicy(), orderRepository, catalogRepository,
        new DynamoDbReplicaStore(dynamoDb, config.tableName(), config.region()));
    this.conflicts = new ConflictLog(new DynamoDbConflictRepository(dynamoDb, config.tableName()));
  }

  public MeridianConfig config() {
    return config;
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public HybridLogicalClock clock() {
    return clock;
  }

  public ControlService control() {
    return control;
  }

  public CatalogService catalog() {
    return catalog;
  }

  public OrderService orders() {
    return orders;
  }

  public ReconcileService reconcile() {
    return reconcile;
  }

  public ConflictLog conflicts() {
    return conflicts;
  }
}
