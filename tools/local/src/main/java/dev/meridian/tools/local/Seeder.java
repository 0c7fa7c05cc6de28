package dev.meridian.tools.local;

import dev.meridian.tools.local.jwt.DevIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Seeds the demo catalog through the application's own admin routes, as an operator would:
 * products created in the home region, then each region restocks its own allocation once the
 * product has replicated to it.
 */
final class Seeder {
  record SeedProduct(String id, String name, String description, long priceMinor, String currency, int[] unitsPerRegion) {}

  static final List<SeedProduct> CATALOG = List.of(
      new SeedProduct("espresso-cup", "Espresso cup", "Porcelain, 90 ml", 1200, "EUR", new int[] {40, 30, 20}),
      new SeedProduct("latte-mug", "Latte mug", "Stoneware, 350 ml", 1800, "EUR", new int[] {30, 30, 30}),
      new SeedProduct("pour-over-kettle", "Pour-over kettle", "Gooseneck, 1 l", 5900, "EUR", new int[] {10, 5, 5}),
      new SeedProduct("burr-grinder", "Burr grinder", "Conical burrs, 40 settings", 12900, "EUR", new int[] {6, 4, 2}),
      new SeedProduct("drip-scale", "Drip scale", "0.1 g resolution, timer", 3900, "EUR", new int[] {15, 10, 10}),
      new SeedProduct("paper-filters", "Paper filters", "100 pack", 600, "EUR", new int[] {200, 150, 100}),
      new SeedProduct("travel-tumbler", "Travel tumbler", "Vacuum insulated, 450 ml", 2900, "EUR", new int[] {25, 25, 25}),
      new SeedProduct("limited-edition-dripper", "Limited edition dripper", "Numbered, only a few left", 8900, "EUR",
          new int[] {2, 1, 1}));


  /** How long seeding keeps repeating a request that failed for want of time, not for a reason. */
  private static final Duration RETRY_BUDGET = Duration.ofMinutes(3);
  /** Longer than the HTTP API's 30 s integration timeout: the gateway answers first. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http;
  private final DevIssuer issuer;
  private final Map<String, URI> regions;
  private final String homeRegion;
  private final Consumer<String> log;

  Seeder(HttpClient http, DevIssuer issuer, Map<String, URI> regions, String homeRegion, Consumer<String> log) {
    this.http = http;
    this.issuer = issuer;
    this.regions = regions;
    this.homeRegion = homeRegion;
    this.log = log;
  }

  void seed() throws IOException, InterruptedException {
    // The operations client's own token, as automation holds it; reads are customer routes (another authorizer).
    String token = issuer.operationsToken(Duration.ofMinutes(10));
    String reader = issuer.customerToken("seeder", Duration.ofMinutes(10));
    URI home = regions.get(homeRegion);
    for (SeedProduct p : CATALOG) {
      String body = String.format("{\"name\":\"%s\",\"description\":\"%s\",\"price\":{\"amount\":%d,\"currency\":\"%s\"},\"active\":true}",
          p.name(), p.description(), p.priceMinor(), p.currency());
      HttpResponse<String> created = sendRetrying(() -> HttpRequest.newBuilder(home.resolve("/products/" + p.id()))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .header("If-None-Match", "*").PUT(HttpRequest.BodyPublishers.ofString(body)));
      if (created.statusCode() != 201 && created.statusCode() != 412) {
        throw new IllegalStateException("seeding " + p.id() + ": PUT answered " + created.statusCode() + " " + created.body());
      }
    }
    int index = 0;
    List<String> standbys = new java.util.ArrayList<>();
    regions:
    for (Map.Entry<String, URI> region : regions.entrySet()) {
      for (SeedProduct p : CATALOG) {
        awaitReplicated(region.getValue(), p.id(), reader);
        int units = p.unitsPerRegion()[Math.min(index, p.unitsPerRegion().length - 1)];
        HttpResponse<String> stocked = sendRetrying(() -> HttpRequest.newBuilder(region.getValue().resolve("/products/" + p.id() + "/stock"))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"units\":" + units + "}")));
        if (refusedByStandby(stocked)) {
          // Active-passive: the standby takes no writes; the primary's restocks give it its reserve share by transfer.
          standbys.add(region.getKey());
          index++;
          continue regions;
        }
        if (stocked.statusCode() / 100 != 2) {
          throw new IllegalStateException("seeding stock of " + p.id() + " in " + region.getKey() + ": "
              + stocked.statusCode() + " " + stocked.body());
        }
      }
      index++;
    }
    List<String> stockedRegions = regions.keySet().stream().filter(r -> !standbys.contains(r)).toList();
    log.accept("seeded " + CATALOG.size() + " products with stock in " + stockedRegions
        + (standbys.isEmpty() ? "" : "; not restocked in " + standbys
        + " (standby: refuses writes; holds what the primary's restocks give its reserve)"));
  }

  /** Waits until the region reads the product (replication, or the region's first cold start, can take a while). */
  private void awaitReplicated(URI region, String productId, String token) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = send(HttpRequest.newBuilder(region.resolve("/products/" + productId))
            .header("Authorization", "Bearer " + token).GET());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (java.net.http.HttpTimeoutException e) {
        log.accept("seeding: GET " + productId + " in " + region + " not answered within " + CALL_TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("product " + productId + " not readable in " + region + " within " + RETRY_BUDGET);
  }

  /**
   * Sends, and repeats a request that timed out or that the store answered 5xx (its DynamoDB calls
   * timed out while the machine was busy starting every function at once), with growing pauses
   * for up to {@link #RETRY_BUDGET}. A create that did succeed before answers 412 on the repeat,
   * which seeding accepts; a repeated restock may add its units twice, harmless for a demo catalog.
   */
  private HttpResponse<String> sendRetrying(java.util.function.Supplier<HttpRequest.Builder> request)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
    long pauseMillis = 500;
    while (true) {
      String failure;
      try {
        HttpResponse<String> response = send(request.get());
        if (response.statusCode() / 100 != 5 || refusedByStandby(response)) {
          return response;
        }
        failure = response.statusCode() + " from " + response.uri();
        if (System.nanoTime() > deadline) {
          return response;
        }
      } catch (java.net.http.HttpTimeoutException e) {
        failure = "no answer within " + CALL_TIMEOUT.toSeconds() + " s";
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      log.accept("seeding: " + failure + ", retrying in " + pauseMillis + " ms");
      Thread.sleep(pauseMillis);
      pauseMillis = Math.min(pauseMillis * 2, 8_000);
    }
  }

  private static boolean refusedByStandby(HttpResponse<String> response) {
    return response.statusCode() == 503 && response.body().contains("writes-refused");
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }
}
