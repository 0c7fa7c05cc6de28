package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tools.local.client.TimedHttpClient;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The drill's own products, created for the run (ids unique to it) and stocked in every region
 * that takes writes: several with ample stock and one scarce product whose last units several
 * regions sell at once. The stock baseline for conservation is what the regions read once setup
 * has replicated, so a restock retried after a lost answer is counted as what it did.
 */
final class DrillProducts {
  /** A product and how often customers pick it. */
  record Item(String id, double weight, boolean scarce) {}

  private final List<Item> items;
  private final double totalWeight;
  /** Units per product over every region (available + reserved + sold) after setup. */
  final Map<String, Long> baseline;

  private DrillProducts(List<Item> items, Map<String, Long> baseline) {
    this.items = List.copyOf(items);
    this.totalWeight = items.stream().mapToDouble(Item::weight).sum();
    this.baseline = baseline;
  }

  List<Item> items() {
    return items;
  }

  List<String> ids() {
    return items.stream().map(Item::id).toList();
  }

  Item pick(Random random) {
    double r = random.nextDouble() * totalWeight;
    for (Item item : items) {
      r -= item.weight();
      if (r < 0) {
        return item;
      }
    }
    return items.get(items.size() - 1);
  }

  /**
   * Creates the products through {@code home}'s admin route, restocks each in every writable
   * region (the scarce one as {@code sale} says, split over its shards), and waits until every
   * region reads the same allocations.
   */
  static DrillProducts setUp(Target target, TimedHttpClient api, String runId, String home, List<String> writable, long ampleUnits,
      Scenario.Sale sale, PrintStream out) throws Exception {
    String admin = target.token("drill-operator", true);
    // Product reads are customer routes (the customer authorizer takes no admin or operations token).
    String reader = target.token("drill-reader", false);
    List<Item> items = new ArrayList<>();
    double ampleWeight = 1;
    for (int i = 1; i <= 3; i++) {
      items.add(new Item("drill-" + runId + "-item-" + i, ampleWeight, false));
    }
    // share = w / (3 + w) for the three ample products of weight 1 each.
    items.add(new Item("drill-" + runId + "-last-units", 3 * ampleWeight * sale.share() / (1 - sale.share()), true));
    URI homeUrl = target.regionUrl(home);
    for (Item item : items) {
      String body = "{\"name\":\"Drill " + item.id() + "\",\"description\":\"failover drill\",\"price\":{\"amount\":"
          + (item.scarce() ? 8900 : 1500) + ",\"currency\":\"EUR\"},\"active\":true}";
      TimedHttpClient.Answer created = Retry.call(() -> api.call(homeUrl, "PUT", "/products/" + item.id(), admin, body,
          Map.of("If-None-Match", "*")));
      if (created.status() != 201 && created.status() != 412) {
        throw new IllegalStateException("create " + item.id() + " in " + home + ": " + created.status() + " " + created.body());
      }
    }
    for (String region : writable) {
      URI url = target.regionUrl(region);
      for (Item item : items) {
        Retry.until(Duration.ofSeconds(60), () -> api.get(url, "/products/" + item.id(), reader).status() == 200,
            item.id() + " readable in " + region);
        long units = item.scarce() ? sale.unitsPerRegion() : ampleUnits;
        TimedHttpClient.Answer stocked = Retry.call(() -> api.call(url, "POST", "/products/" + item.id() + "/stock", admin,
            "{\"units\":" + units + "}", Map.of()));
        if (stocked.status() != 200) {
          throw new IllegalStateException("restock " + item.id() + " in " + region + ": " + stocked.status() + " " + stocked.body());
        }
        if (item.scarce() && sale.shards() > 1) {
          TimedHttpClient.Answer resharded = Retry.call(() -> api.call(url, "PUT", "/products/" + item.id() + "/shards", admin,
              "{\"shards\":" + sale.shards() + "}", Map.of()));
          if (resharded.status() != 200) {
            throw new IllegalStateException("shard " + item.id() + " in " + region + ": " + resharded.status() + " "
                + resharded.body());
          }
        }
      }
    }
    Map<String, Long> baseline = new LinkedHashMap<>();
    for (Item item : items) {
      JsonNode[] agreed = new JsonNode[1];
      Retry.until(Duration.ofSeconds(120), () -> {
        JsonNode first = null;
        for (String region : target.regions()) {
          TimedHttpClient.Answer a = api.get(target.regionUrl(region), "/products/" + item.id(), reader);
          if (a.status() != 200) {
            return false;
          }
          JsonNode allocations = Verifier.sortedAllocations(a.json());
          if (first == null) {
            first = allocations;
          } else if (!first.equals(allocations)) {
            return false;
          }
        }
        agreed[0] = first;
        return true;
      }, "every region reads the same allocations of " + item.id());
      long total = 0;
      for (JsonNode allocation : agreed[0]) {
        total += allocation.path("available").asLong() + allocation.path("reserved").asLong() + allocation.path("sold").asLong()
            + allocation.path("inTransit").asLong();
      }
      baseline.put(item.id(), total);
    }
    out.printf("catalog: %d products stocked in %s (ample %d, scarce %d units per region on %d shard(s), %.0f%% of picks);"
        + " baseline %s%n", items.size(), writable, ampleUnits, sale.unitsPerRegion(), sale.shards(), sale.share() * 100, baseline);
    return new DrillProducts(items, baseline);
  }
}
