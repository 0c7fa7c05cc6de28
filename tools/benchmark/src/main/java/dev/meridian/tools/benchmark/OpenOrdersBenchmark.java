package dev.meridian.tools.benchmark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.HttpApiResponse;
import dev.meridian.testkit.Machine;
import dev.meridian.testkit.SampleEvent;
import dev.meridian.testkit.emulator.MotoServer;
import dev.meridian.tools.benchmark.OpenOrdersReport.Run;
import dev.meridian.tools.benchmark.OpenOrdersReport.Series;
import dev.meridian.tools.benchmark.OpenOrdersReport.WideOrder;
import dev.meridian.tools.benchmark.OpenOrdersReport.WrittenItems;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import dev.meridian.tools.local.lambda.LambdaRuntime;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.provision.ProvisionedRegion;
import dev.meridian.tools.local.provision.Provisioner;
import dev.meridian.tools.local.template.LocalDeployment;
import dev.meridian.tools.local.template.Samconfig;
import dev.meridian.tools.local.template.TemplateResolver;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Placement with K open orders of the same product (issue #14): does a placement cost the same whether the product it
 * orders has no open order or ten thousand? Before issue #14 every open order was a hold inside its product's
 * allocation item, and each placement rewrote that whole item; now each order's hold is an item of its own and the
 * product's stock shards keep counters only.
 *
 * <p>The real orders function runs from its packaged zip under the Lambda runtime interface client, warm, as
 * {@link ColdWarmBenchmark} runs it, against moto provisioned from template.yaml. Products are created and stocked
 * through the real catalog function. The K open orders are seeded straight into the table with the production
 * codecs ({@link OpenOrderSeed}), in batch writes, since placing 10,000 orders one by one against moto takes too
 * long. Then each run places one unit of each series' product in rounds (one placement per series per round, the
 * first series rotating, so a change in the machine's load spreads over every series), reads back every item the
 * placements wrote and sizes it as DynamoDB does, and puts the table back as seeded, so every run starts at exactly K.
 * Last, one 50-line order shows how an order's own items grow with its lines.
 */
public final class OpenOrdersBenchmark {
  static final String ORDERS = "OrdersFunction";
  static final String CATALOG = "CatalogFunction";
  static final String WARM_UP_PRODUCT = "open-orders-warm-up";
  /** The products of the 50-line order: {@code wide-01} to {@code wide-50}. */
  static final int WIDE_LINES = 50;
  private static final List<String> ZIPS = List.of("functions/catalog/target/catalog-lambda.zip",
      "functions/orders/target/orders-lambda.zip");
  /** BatchWriteItem takes at most 25 requests, BatchGetItem 100 keys. */
  private static final int WRITE_BATCH = 25;
  private static final int READ_BATCH = 100;

  private final OpenOrdersSettings settings;
  private final LambdaRuntime runtime;
  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String region;
  private final PrintStream out;
  /** Per series, its product's shard items as seeded: what each run starts from. */
  private final Map<Integer, List<Map<String, AttributeValue>>> seededShards = new TreeMap<>();
  /** BatchWriteItem calls made so far, retries of unprocessed items included. */
  private int batchWrites;

  private OpenOrdersBenchmark(OpenOrdersSettings settings, LambdaRuntime runtime, DynamoDbClient dynamoDb, String table,
      String region, PrintStream out) {
    this.settings = settings;
    this.runtime = runtime;
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.region = region;
    this.out = out;
  }

  /**
   * The product series {@code k} orders: it has {@code k} open orders at the start of every run. Names of one length,
   * so that the series' order and hold items differ by nothing but what K changes.
   */
  static String productFor(int k) {
    return String.format("open-orders-%05d", k);
  }

  static String wideProduct(int line) {
    return String.format("wide-%02d", line);
  }

  /** {@code tools/benchmark/run open-orders [options]}: 0 when measured, 1 when it failed, 2 for a wrong option. */
  public static int run(Path root, List<String> args, PrintStream out) {
    try {
      return measureAndReport(root, args, out);
    } catch (Exception | Error e) {
      out.println("open-orders benchmark failed: " + e);
      e.printStackTrace(out);
      return 1;
    }
  }

  private static int measureAndReport(Path root, List<String> args, PrintStream out) throws Exception {
    OpenOrdersSettings settings;
    try {
      settings = OpenOrdersSettings.parse(args);
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
      return 2;
    }
    List<String> missing = ZIPS.stream().filter(zip -> !Files.isRegularFile(root.resolve(zip))).toList();
    if (!missing.isEmpty()) {
      out.println("missing " + missing + ": build them first (./mvnw -B package -DskipTests)");
      return 1;
    }
    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Machine machine = Machine.current();
    out.printf("Open-orders benchmark, %s: placements of 1 unit of a product with %s open orders; %d measured per series"
        + " and run, %d runs, after %d warm-up placements%n", date, settings.openOrders(), settings.placements(),
        settings.runs(), settings.warmUp());
    out.println("machine: " + machine.describe());
    out.println("load average at start: " + machine.loadAverage());

    Path work = settings.output().toAbsolutePath().getParent().resolve("open-orders-benchmark");
    try (MotoServer moto = MotoServer.start()) {
      List<RegionModel> models = LocalDeployment.of(Samconfig.load(root.resolve("samconfig.toml")))
          .models(TemplateResolver.load(root.resolve("template.yaml")));
      List<ProvisionedRegion> provisioned;
      try (Provisioner provisioner = new Provisioner(moto.endpoint())) {
        provisioned = provisioner.provisionAll(models);
      }
      RegionModel home = models.get(0);
      List<FunctionSpec> functions = home.functions().stream()
          .filter(f -> f.logicalId().equals(ORDERS) || f.logicalId().equals(CATALOG))
          .map(f -> new FunctionSpec(f.logicalId(), f.handler(), f.runtime(), f.codeUri(), f.memoryMb(), f.timeoutSeconds(),
              provisioned.get(0).functionEnvironment(f.logicalId()), f.events()))
          .toList();
      out.println("moto " + moto.endpoint() + ", provisioned from template.yaml for " + models.size()
          + " regions; functions run in " + home.region() + "; logs in " + work.resolve("logs"));
      LambdaRuntime.Options options = new LambdaRuntime.Options(root, work.resolve("work"), work.resolve("logs"),
          Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString()), line -> { }, "123456789012", "meridian",
          Duration.ofSeconds(60), Duration.ofSeconds(2), true);
      try (LambdaRuntime runtime = new LambdaRuntime(home.region(), functions, options);
          DynamoDbClient dynamoDb = moto.dynamoDb(home.region())) {
        OpenOrdersBenchmark benchmark = new OpenOrdersBenchmark(settings, runtime, dynamoDb, provisioned.get(0).tableName(),
            home.region(), out);
        OpenOrdersReport report = benchmark.measure(date, machine);
        out.println();
        out.print(report.context());
        out.println();
        out.print(report.table());
        out.println();
        out.print(report.targets());
        out.print(report.wideOrder());
        ObjectNode json = report.json();
        Path file = settings.output().toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, json.toPrettyString() + "\n");
        out.println("results: " + file);
      }
    }
    return 0;
  }

  private OpenOrdersReport measure(String date, Machine machine) {
    prepare();
    warmUp();
    List<Series> series = new ArrayList<>();
    List<Run> runs = new ArrayList<>();
    Map<Integer, WrittenItems> written = new TreeMap<>();
    for (int run = 1; run <= settings.runs(); run++) {
      Map<Integer, List<Long>> nanos = new LinkedHashMap<>();
      Map<Integer, List<Long>> durations = new LinkedHashMap<>();
      Map<Integer, List<OrderId>> placed = new LinkedHashMap<>();
      Map<Integer, SampleEvent> events = new HashMap<>();
      for (int k : settings.openOrders()) {
        nanos.put(k, new ArrayList<>());
        durations.put(k, new ArrayList<>());
        placed.put(k, new ArrayList<>());
        events.put(k, placementOf(Map.of(productFor(k), 1)));
      }
      List<Long> emulator = new ArrayList<>();
      for (int round = 0; round < settings.placements(); round++) {
        for (int k : rotated(settings.openOrders(), round)) {
          byte[] event = bytes(events.get(k).header("idempotency-key", "open-orders-" + UUID.randomUUID()).toJson());
          long started = System.nanoTime();
          InvokeResult result = runtime.invoke(ORDERS, event);
          long elapsed = System.nanoTime() - started;
          HttpApiResponse response = expect(ORDERS, result, 201);
          if (result.coldStart()) {
            throw new IllegalStateException("the orders function was restarted during the run (see "
                + runtime.status(ORDERS).logFile() + ")");
          }
          nanos.get(k).add(elapsed);
          durations.get(k).add(result.duration().toNanos());
          placed.get(k).add(new OrderId(response.json().path("id").asText()));
        }
        emulator.add(emulatorRoundTrip());
      }
      for (int k : settings.openOrders()) {
        series.add(new Series(k, run, nanos.get(k), durations.get(k)));
        WrittenItems items = written(k, placed.get(k));
        written.merge(k, items, WrittenItems::and);
        LatencyStats stats = LatencyStats.of(nanos.get(k));
        out.printf("run %d/%d, K = %,d: p50 %s ms, p99 %s ms; largest items written: order %,d, hold %,d, shard %,d bytes%n",
            run, settings.runs(), k, BenchmarkReport.fractionMillis(stats.medianMillis()),
            BenchmarkReport.fractionMillis(stats.percentileMillis(99)), items.orderBytes(), items.holdBytes(), items.shardBytes());
      }
      String load = Machine.loadAverageNow();
      runs.add(new Run(run, load, emulator));
      out.println("run " + run + " done; load average " + load);
      if (run < settings.runs()) {
        placed.values().forEach(this::forget);
        seededShards.values().forEach(this::putAll);
      }
    }
    WideOrder wide = wideOrder();
    return new OpenOrdersReport(settings, date, machine, Machine.loadAverageNow(), series, runs,
        new ArrayList<>(written.values()), wide);
  }

  /**
   * Creates and stocks every product through the catalog function, then seeds each series' open orders, and keeps
   * each series' shards as seeded. The catalog function is stopped afterwards: only the orders function runs while
   * placements are measured.
   */
  private void prepare() {
    long started = System.nanoTime();
    int measured = settings.runs() * settings.placements();
    for (int k : settings.openOrders()) {
      createProduct(productFor(k), k + measured);
    }
    createProduct(WARM_UP_PRODUCT, settings.warmUp() + 1);
    IntStream.rangeClosed(1, WIDE_LINES).forEach(line -> createProduct(wideProduct(line), 1));
    runtime.recycle(CATALOG, Duration.ofSeconds(60));
    out.printf("prepared: %d products created and stocked through the catalog function (%.0f s)%n",
        settings.openOrders().size() + 1 + WIDE_LINES, (System.nanoTime() - started) / 1e9);

    SplittableRandom random = new SplittableRandom();
    for (int k : settings.openOrders()) {
      ProductId id = ProductId.of(productFor(k));
      if (k > 0) {
        long seeding = System.nanoTime();
        Product product = Items.product(get(Items.productKey(id)));
        OpenOrderSeed seed = new OpenOrderSeed(product, stock(id), HybridLogicalClock.system(region),
            () -> random.nextInt(StockAllocation.MAX_SHARDS));
        int batchWritesBefore = batchWrites;
        List<Map<String, AttributeValue>> batch = new ArrayList<>(WRITE_BATCH);
        seed.writeTo(k, item -> {
          batch.add(item);
          if (batch.size() == WRITE_BATCH) {
            putAll(batch);
            batch.clear();
          }
        });
        putAll(batch);
        out.printf("seeded %,d open orders of %s (their order and hold items, then its shards) in %,d batch writes, %.0f s%n",
            k, id, batchWrites - batchWritesBefore, (System.nanoTime() - seeding) / 1e9);
      }
      seededShards.put(k, stock(id).shards().values().stream().map(shard -> get(Items.shardKey(id, region, shard.shard())))
          .toList());
    }
  }

  private void createProduct(String product, int units) {
    SampleEvent create = SampleEvent.load("catalog-put-product").pathParameter("id", product)
        .body("{\"name\":\"" + product + "\",\"description\":\"open-orders benchmark product\","
            + "\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":true}")
        .header("if-none-match", "*");
    ((ObjectNode) create.tree().get("headers")).remove("if-match");
    expect(CATALOG, runtime.invoke(CATALOG, bytes(create.toJson())), 201);
    SampleEvent restock = SampleEvent.load("catalog-post-stock").pathParameter("id", product)
        .body("{\"units\":" + units + "}");
    expect(CATALOG, runtime.invoke(CATALOG, bytes(restock.toJson())), 200);
  }

  /** The orders function started (its one cold start) and its JIT warmed on a product no series orders. */
  private void warmUp() {
    SampleEvent placement = placementOf(Map.of(WARM_UP_PRODUCT, 1));
    for (int i = 0; i < settings.warmUp() + 1; i++) {
      expect(ORDERS, runtime.invoke(ORDERS, bytes(placement.header("idempotency-key", "warm-up-" + i).toJson())), 201);
    }
    out.println("orders function started and warmed up (" + settings.warmUp() + " placements after its cold start)");
  }

  /** One 50-line order, 1 unit of each wide product, and the size of every item it wrote, read back. */
  private WideOrder wideOrder() {
    Map<String, Integer> lines = new LinkedHashMap<>();
    IntStream.rangeClosed(1, WIDE_LINES).forEach(line -> lines.put(wideProduct(line), 1));
    SampleEvent placement = placementOf(lines).header("idempotency-key", "open-orders-wide-" + UUID.randomUUID());
    long started = System.nanoTime();
    InvokeResult result = runtime.invoke(ORDERS, bytes(placement.toJson()));
    long elapsed = System.nanoTime() - started;
    OrderId id = new OrderId(expect(ORDERS, result, 201).json().path("id").asText());
    Map<String, AttributeValue> hold = get(Items.holdKey(id, region));
    Map<String, Long> shards = new TreeMap<>();
    Items.hold(hold).takenFrom().forEach((product, taken) -> taken.keySet().forEach(shard ->
        shards.merge(product.value(), ItemSize.of(get(Items.shardKey(product, region, shard))), Math::max)));
    return new WideOrder(id.value(), elapsed, ItemSize.of(get(Items.orderKey(id))), ItemSize.of(hold), new TreeMap<>(shards));
  }

  /** The largest order item, hold item and stock shard the placements of {@code orders} (series {@code k}) wrote. */
  private WrittenItems written(int k, List<OrderId> orders) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    orders.forEach(id -> {
      keys.add(Items.orderKey(id));
      keys.add(Items.holdKey(id, region));
    });
    long[] largest = new long[3];
    Map<String, Map<String, AttributeValue>> shardKeys = new TreeMap<>();
    int holds = 0;
    for (Map<String, AttributeValue> item : batchGet(keys)) {
      boolean isHold = item.get(TableDesign.SK).s().startsWith(Items.HOLD_PREFIX);
      largest[isHold ? 1 : 0] = Math.max(largest[isHold ? 1 : 0], ItemSize.of(item));
      if (isHold) {
        holds++;
        Reservation hold = Items.hold(item);
        hold.takenFrom().forEach((product, taken) -> taken.keySet().forEach(shard -> {
          Map<String, AttributeValue> key = Items.shardKey(product, region, shard);
          shardKeys.put(key.toString(), key);
        }));
      }
    }
    if (holds != orders.size()) {
      throw new IllegalStateException(orders.size() + " placements answered 201, " + holds + " holds were read back");
    }
    for (Map<String, AttributeValue> shard : batchGet(new ArrayList<>(shardKeys.values()))) {
      largest[2] = Math.max(largest[2], ItemSize.of(shard));
    }
    return new WrittenItems(k, productFor(k), orders.size(), largest[0], largest[1], largest[2]);
  }

  /** Deletes the order and hold items of {@code orders} (the shards are put back as seeded separately). */
  private void forget(List<OrderId> orders) {
    List<WriteRequest> deletes = new ArrayList<>();
    for (OrderId id : orders) {
      for (Map<String, AttributeValue> key : List.of(Items.orderKey(id), Items.holdKey(id, region))) {
        deletes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build());
      }
    }
    batchWrite(deletes);
  }

  private void putAll(List<Map<String, AttributeValue>> items) {
    batchWrite(items.stream().map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
        .toList());
  }

  /** Batches of at most 25 writes, each one's unprocessed part retried until none is left. */
  private void batchWrite(List<WriteRequest> writes) {
    for (int from = 0; from < writes.size(); from += WRITE_BATCH) {
      writeBatch(writes.subList(from, Math.min(writes.size(), from + WRITE_BATCH)));
    }
  }

  private void writeBatch(List<WriteRequest> writes) {
    Map<String, List<WriteRequest>> request = Map.of(table, List.copyOf(writes));
    while (!request.isEmpty()) {
      batchWrites++;
      Map<String, List<WriteRequest>> sending = request;
      BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(sending));
      request = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
    }
  }

  private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += READ_BATCH) {
      Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
          .keys(keys.subList(from, Math.min(keys.size(), from + READ_BATCH))).consistentRead(true).build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> sending = request;
        BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(sending));
        found.addAll(response.responses().getOrDefault(table, List.of()));
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    return found;
  }

  /** The product's stock in this region as stored: its head and every other shard it ever used. */
  private RegionStock stock(ProductId id) {
    StockAllocation head = Items.allocation(get(Items.shardKey(id, region, StockAllocation.HEAD)));
    List<StockAllocation> shards = new ArrayList<>(List.of(head));
    for (int shard = 1; shard < head.shardsEver(); shard++) {
      shards.add(Items.allocation(get(Items.shardKey(id, region, shard))));
    }
    return RegionStock.of(id, region, shards);
  }

  private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
    Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
    if (item == null || item.isEmpty()) {
      throw new IllegalStateException("no item " + key + " in " + table);
    }
    return item;
  }

  /** One GetItem straight to moto: what one DynamoDB call costs at this moment, without the function. */
  private long emulatorRoundTrip() {
    long started = System.nanoTime();
    get(Items.productKey(ProductId.of(WARM_UP_PRODUCT)));
    return System.nanoTime() - started;
  }

  /** {@code POST /orders} of the sample event with {@code lines} (product to quantity); the caller sets the key. */
  private static SampleEvent placementOf(Map<String, Integer> lines) {
    StringBuilder body = new StringBuilder("{\"lines\":[");
    lines.forEach((product, quantity) -> body.append(body.charAt(body.length() - 1) == '[' ? "" : ",")
        .append("{\"productId\":\"").append(product).append("\",\"quantity\":").append(quantity).append('}'));
    return SampleEvent.load("orders-post-orders").body(body.append("]}").toString());
  }

  private HttpApiResponse expect(String logicalId, InvokeResult result, int status) {
    HttpApiResponse response = result.succeeded() ? HttpApiResponse.parse(result.payload()) : null;
    if (response == null || response.status() != status) {
      String payload = new String(result.payload(), StandardCharsets.UTF_8);
      throw new IllegalStateException(logicalId + " answered " + result.status() + "/" + (response == null ? "-"
          : response.status()) + " instead of " + status + ": " + payload.substring(0, Math.min(600, payload.length()))
          + " (log: " + runtime.status(logicalId).logFile() + ")");
    }
    return response;
  }

  private static <T> List<T> rotated(List<T> items, int by) {
    List<T> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(items.get((i + by) % items.size()));
    }
    return out;
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
