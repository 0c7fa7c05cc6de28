package dev.meridian.bootstrap.api;

import dev.meridian.adapter.dynamodb.Backoff;
import dev.meridian.adapter.dynamodb.DynamoDbCatalogRepository;
import dev.meridian.adapter.dynamodb.DynamoDbConflictRepository;
import dev.meridian.adapter.dynamodb.DynamoDbControlRepository;
import dev.meridian.adapter.dynamodb.DynamoDbOrderRepository;
import dev.meridian.adapter.http.HttpApiServices;
import dev.meridian.adapter.lambda.SnapStartHooks;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.application.control.ControlService;
import dev.meridian.application.orders.OrderService;
import dev.meridian.application.replication.ConflictLog;
import dev.meridian.bootstrap.AwsClients;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.bootstrap.PrimingScope;
import dev.meridian.bootstrap.ShardStarts;
import dev.meridian.domain.clock.HybridLogicalClock;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The catalog and orders functions' composition: their use cases on the DynamoDB adapters,
 * built once per container in the init phase (before a SnapStart snapshot) and handed to the
 * HTTP adapter as {@link #httpServices()}.
 */
public final class ApiWiring {
  private final MeridianConfig config;
  private final Map<String, String> environment;
  private final HybridLogicalClock clock;
  private final ControlService control;
  private final CatalogService catalog;
  private final OrderService orders;
  private final ConflictLog conflicts;
  private final Backoff transactionBackoff;
  private final PrimingScope priming;

  private ApiWiring(Map<String, String> environment, DynamoDbClient dynamoDb, Clock wallClock, PrimingScope priming) {
    this.priming = priming;
    this.config = MeridianConfig.from(environment);
    this.environment = Map.copyOf(environment);
    this.clock = config.hybridClock(wallClock);
    this.control = new ControlService(new DynamoDbControlRepository(dynamoDb, config.tableName(), config.region()),
        config.deployment());
    DynamoDbCatalogRepository catalogRepository = new DynamoDbCatalogRepository(dynamoDb, config.tableName(), config.region(),
        config.allRegions());
    this.catalog = new CatalogService(catalogRepository, clock, control, control::stockRoles);
    this.transactionBackoff = Backoff.transactions(new SecureRandom().nextLong());
    this.orders = new OrderService(new DynamoDbOrderRepository(dynamoDb, config.tableName(), config.region(), config.allRegions(),
        wallClock, transactionBackoff),
        catalogRepository, clock, control, new ShardStarts(), control::stockRoles);
    this.conflicts = new ConflictLog(new DynamoDbConflictRepository(dynamoDb, config.tableName()));
  }

  /**
   * Lambda's: configuration from the process environment, the SDK client from {@link AwsClients}
   * in a {@link PrimingScope}, its SnapStart hooks in the JVM's registry.
   */
  public static ApiWiring fromEnvironment() {
    MeridianConfig config = MeridianConfig.fromEnvironment();
    PrimingScope priming = PrimingScope.create();
    ApiWiring wiring = new ApiWiring(System.getenv(), AwsClients.forApi(DynamoDbClient.builder(), config.region(), priming),
        Clock.systemUTC(), priming);
    wiring.registerHooks(SnapStartHooks.global());
    return wiring;
  }

  /** What a restored SnapStart environment must refresh: the transaction retries' jitter. */
  public void registerHooks(SnapStartHooks hooks) {
    hooks.register("transaction back-off jitter", transactionBackoff::afterRestore);
  }

  /**
   * Registers the function's priming as a checkpoint hook: {@code priming} runs in this wiring's
   * {@link PrimingScope}, so that it leaves no connection and no credentials in the snapshot.
   * Register it last: checkpoint hooks run last registered first, so it runs before the others.
   */
  public void registerPriming(SnapStartHooks hooks, PrimingScope.Priming work) {
    hooks.register("priming", new SnapStartHooks.Hook() {
      @Override
      public void beforeCheckpoint() throws Exception {
        priming.run(work);
      }

      @Override
      public void afterRestore() {
        // Priming happens once, before the snapshot; a restore has nothing of it to refresh.
      }
    });
  }

  /** The same composition on a given environment and client (tests, the benchmark); priming runs unscoped. */
  public static ApiWiring of(Map<String, String> environment, DynamoDbClient dynamoDb, Clock wallClock) {
    return new ApiWiring(environment, dynamoDb, wallClock, PrimingScope.unmanaged());
  }

  /** The same composition on a client that takes its credentials and connections from {@code priming} (tests). */
  public static ApiWiring of(Map<String, String> environment, DynamoDbClient dynamoDb, Clock wallClock,
      PrimingScope priming) {
    return new ApiWiring(environment, dynamoDb, wallClock, priming);
  }

  /**
   * What the HTTP adapter starts a Spring function on: who may call which route ({@link ApiAccess},
   * read here so that the wirings of functions without routes need none of it) and every use case
   * a controller may ask for.
   */
  public HttpApiServices httpServices() {
    return new HttpApiServices(config.region(), config.functionName(), ApiAccess.from(environment),
        List.of(control, catalog, orders, conflicts));
  }

  public MeridianConfig config() {
    return config;
  }

  public CatalogService catalog() {
    return catalog;
  }

  public OrderService orders() {
    return orders;
  }

  public ControlService control() {
    return control;
  }

  public ConflictLog conflicts() {
    return conflicts;
  }

  /** This region's clock, as the use cases stamp writes with it. */
  public HybridLogicalClock clock() {
    return clock;
  }
}
