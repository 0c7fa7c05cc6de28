package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.tools.local.client.TimedHttpClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;

/**
 * The verification after a drill, through the API only (each customer's own token, the admin
 * routes): waits until every region reads the same orders and stock, then checks that every
 * acknowledged order exists everywhere with a status at least as advanced as acknowledged, that no
 * Idempotency-Key has two orders, that stock is conserved and never negative with zero units
 * oversold, and counts the conflicts the merges recorded.
 */
final class Verifier {
  /** What every region reads at one moment. */
  record Snapshot(double atMs, Map<String, Map<String, JsonNode>> orders, Map<String, Map<String, JsonNode>> products,
      long linkBacklog) {}

  /** One check: its name, whether it held, and the figures behind it. */
  record Check(String name, boolean passed, String detail) {}

  private final Target target;
  private final TimedHttpClient api;
  private final OrderLedger ledger;
  private final DrillProducts catalog;
  private final List<String> customers;
  private final DoubleSupplier clockMs;

  Verifier(Target target, TimedHttpClient api, OrderLedger ledger, DrillProducts catalog, List<String> customers, DoubleSupplier clockMs) {
    this.target = target;
    this.api = api;
    this.ledger = ledger;
    this.catalog = catalog;
    this.customers = customers;
    this.clockMs = clockMs;
  }

  /**
   * Polls until two snapshots 2 s apart are identical, agree across regions, hold no pending order
   * and the local stack reports no replication or event backlog; or until {@code deadlineNanos}.
   *
   * @return the converged snapshot, or the last one read (then {@link #converged} is false for it)
   */
  Snapshot awaitConvergence(long deadlineNanos) throws Exception {
    Snapshot previous = null;
    while (true) {
      Snapshot now = snapshot();
      if (previous != null && agrees(now) && sameState(previous, now)) {
        return previous;
      }
      previous = agrees(now) ? now : null;
      if (System.nanoTime() > deadlineNanos) {
        return now;
      }
      Thread.sleep(2_000);
    }
  }

  boolean converged(Snapshot s) {
    return agrees(s);
  }

  Snapshot snapshot() throws Exception {
    double at = clockMs.getAsDouble();
    long backlog = 0;
    var status = target.status();
    if (status.isPresent()) {
      for (JsonNode link : status.get().path("replication")) {
        backlog += link.path("backlog").asLong();
      }
      for (JsonNode link : status.get().path("eventLinks")) {
        backlog += link.path("queued").asLong();
      }
    }
    Map<String, Map<String, JsonNode>> orders = new LinkedHashMap<>();
    Map<String, Map<String, JsonNode>> products = new LinkedHashMap<>();
    // Product reads are customer routes: a customer token, not the operator's.
    String reader = target.token("drill-reader", false);
    for (String region : target.regions()) {
      Map<String, JsonNode> regionOrders = new TreeMap<>();
      for (String customer : customers) {
        String token = target.token(customer, false);
        String cursor = null;
        do {
          String path = "/orders?limit=100" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
          TimedHttpClient.Answer page = Retry.call(() -> api.get(target.regionUrl(region), path, token));
          if (page.status() != 200) {
            throw new IllegalStateException(region + " GET " + path + " answered " + page.status() + ": " + page.body());
          }
          for (JsonNode order : page.json().path("items")) {
            ((ObjectNode) order).put("customer", customer);
            regionOrders.put(order.path("id").asText(), order);
          }
          JsonNode next = page.json().path("nextCursor");
          cursor = next.isTextual() ? next.asText() : null;
        } while (cursor != null);
      }
      orders.put(region, regionOrders);
      Map<String, JsonNode> regionProducts = new TreeMap<>();
      for (String id : catalog.ids()) {
        TimedHttpClient.Answer product = Retry.call(() -> api.get(target.regionUrl(region), "/products/" + id, reader));
        if (product.status() != 200) {
          throw new IllegalStateException(region + " GET /products/" + id + " answered " + product.status());
        }
        regionProducts.put(id, product.json());
      }
      products.put(region, regionProducts);
    }
    return new Snapshot(at, orders, products, backlog);
  }

  /** Every region reads the same orders and allocations, none pending, no transfer in transit, and no link has a backlog. */
  private boolean agrees(Snapshot s) {
    if (s.linkBacklog() > 0) {
      return false;
    }
    Map<String, JsonNode> firstOrders = null;
    Map<String, JsonNode> firstProducts = null;
    for (String region : s.orders().keySet()) {
      Map<String, JsonNode> o = normalizedOrders(s.orders().get(region));
      Map<String, JsonNode> p = normalizedProducts(s.products().get(region));
      if (o.values().stream().anyMatch(order -> order.path("status").asText().equals("PENDING_STOCK"))) {
        return false;
      }
      // Units given and not yet added by their receiver: the receiver's reconciler has not seen the transfer.
      if (p.values().stream().anyMatch(product -> product.findValues("inTransit").stream().anyMatch(n -> n.asLong() > 0))) {
        return false;
      }
      if (firstOrders == null) {
        firstOrders = o;
        firstProducts = p;
      } else if (!firstOrders.equals(o) || !firstProducts.equals(p)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameState(Snapshot a, Snapshot b) {
    for (String region : a.orders().keySet()) {
      if (!normalizedOrders(a.orders().get(region)).equals(normalizedOrders(b.orders().get(region)))
          || !normalizedProducts(a.products().get(region)).equals(normalizedProducts(b.products().get(region)))) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, JsonNode> normalizedOrders(Map<String, JsonNode> orders) {
    Map<String, JsonNode> out = new TreeMap<>();
    orders.forEach((id, order) -> {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("status", order.path("status").asText());
      List<JsonNode> reservations = new ArrayList<>();
      order.path("reservations").forEach(r -> {
        ObjectNode rn = JsonNodeFactory.instance.objectNode();
        rn.put("region", r.path("region").asText());
        rn.put("state", r.path("state").asText());
        rn.set("units", r.path("units"));
        reservations.add(rn);
      });
      reservations.sort(Comparator.comparing(r -> r.path("region").asText()));
      n.set("reservations", JsonNodeFactory.instance.arrayNode().addAll(reservations));
      n.set("lines", order.path("lines"));
      out.put(id, n);
    });
    return out;
  }

  private static Map<String, JsonNode> normalizedProducts(Map<String, JsonNode> products) {
    Map<String, JsonNode> out = new TreeMap<>();
    products.forEach((id, product) -> out.put(id, sortedAllocations(product)));
    return out;
  }

  /** A product's allocations, region by region, as {region, available, reserved, sold, inTransit}. */
  static JsonNode sortedAllocations(JsonNode product) {
    List<JsonNode> allocations = new ArrayList<>();
    product.path("allocations").forEach(a -> {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("region", a.path("region").asText());
      n.put("available", a.path("available").asLong());
      n.put("reserved", a.path("reserved").asLong());
      n.put("sold", a.path("sold").asLong());
      n.put("inTransit", a.path("inTransit").asLong());
      allocations.add(n);
    });
    allocations.sort(Comparator.comparing(a -> a.path("region").asText()));
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    allocations.forEach(array::add);
    return array;
  }

  // ------------------------------------------------------------------ checks

  /** The checks and the figures the result reports at its top level. */
  record Outcome(List<Check> checks, Map<String, Object> figures) {
    boolean passed() {
      return checks.stream().allMatch(Check::passed);
    }
  }

  Outcome verify(Snapshot s, boolean converged, Instant drillStartedAt) throws Exception {
    List<Check> checks = new ArrayList<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    checks.add(new Check("converged", converged, converged
        ? "every region read the same orders and stock, nothing pending, no transfer in transit, no backlog"
        : "regions still disagreed (or orders were pending, or transfers in transit) when the convergence wait ended"));

    // 1. Every acknowledged order in every region, its status at least as advanced as acknowledged.
    List<OrderLedger.Placement> acked = ledger.acknowledged();
    int missing = 0;
    int regressed = 0;
    List<String> examples = new ArrayList<>();
    for (OrderLedger.Placement p : acked) {
      for (String region : s.orders().keySet()) {
        JsonNode order = s.orders().get(region).get(p.orderId);
        if (order == null) {
          missing++;
          example(examples, p.orderId + " (acknowledged by " + p.ackedRegion + ") missing in " + region);
        } else if (OrderLedger.rank(order.path("status").asText()) < OrderLedger.rank(p.toldStatus())) {
          regressed++;
          example(examples, p.orderId + " is " + order.path("status").asText() + " in " + region + ", customer was told "
              + p.toldStatus());
        }
      }
    }
    long lostWrites = acked.stream().filter(p -> s.orders().values().stream().anyMatch(o -> !o.containsKey(p.orderId)))
        .count();
    figures.put("acknowledgedOrders", acked.size());
    figures.put("acknowledgedCancels", acked.stream().filter(p -> p.cancelAcked).count());
    figures.put("lostWrites", lostWrites);
    figures.put("regressedStatuses", regressed);
    checks.add(new Check("acknowledged orders present everywhere", missing == 0 && regressed == 0, String.format(
        "%d acknowledged orders x %d regions: %d missing, %d with a status below the acknowledged one%s", acked.size(),
        s.orders().size(), missing, regressed, examples.isEmpty() ? "" : "; e.g. " + examples)));

    // 2. No Idempotency-Key has two orders.
    int keysWithTwoIds = 0;
    Map<String, Set<String>> knownIds = new HashMap<>();
    Map<String, Integer> undecided = new HashMap<>();
    for (OrderLedger.Placement p : ledger.all()) {
      Set<String> ids = new HashSet<>();
      p.answers().stream().map(OrderLedger.Answer::orderId).filter(Objects::nonNull).forEach(ids::add);
      if (ids.size() > 1) {
        keysWithTwoIds++;
      }
      knownIds.computeIfAbsent(p.customer, c -> new HashSet<>()).addAll(ids);
      if (p.undecided) {
        undecided.merge(p.customer, 1, Integer::sum);
      }
    }
    Map<String, JsonNode> home = s.orders().values().iterator().next();
    Map<String, Integer> unknownPerCustomer = new HashMap<>();
    home.values().forEach(order -> {
      String customer = order.path("customer").asText();
      if (!knownIds.getOrDefault(customer, Set.of()).contains(order.path("id").asText())) {
        unknownPerCustomer.merge(customer, 1, Integer::sum);
      }
    });
    int unexplained = 0;
    for (Map.Entry<String, Integer> e : unknownPerCustomer.entrySet()) {
      unexplained += Math.max(0, e.getValue() - undecided.getOrDefault(e.getKey(), 0));
    }
    int reservationViolations = 0;
    int duplicateReservations = 0;
    int duplicatesUnrecorded = 0;
    // The first few offenders in full, so a failed drill says which orders to look at.
    List<String> offenders = new ArrayList<>();
    for (JsonNode order : home.values()) {
      String status = order.path("status").asText();
      int standing = 0;
      for (JsonNode r : order.path("reservations")) {
        String state = r.path("state").asText();
        standing += state.equals("RESERVED") || state.equals("COMMITTED") ? 1 : 0;
      }
      boolean live = status.equals("PLACED") || status.equals("SHIPPED");
      if (live ? standing != 1 : standing != 0) {
        reservationViolations++;
        if (offenders.size() < 5) {
          offenders.add(describe(order));
        }
      }
      if (order.path("reservations").size() > 1) {
        duplicateReservations++;
        boolean recorded = false;
        for (JsonNode c : order.path("conflicts")) {
          recorded |= c.path("rule").asText().equals("earliest-reservation-stands");
        }
        duplicatesUnrecorded += recorded ? 0 : 1;
        if (!recorded && offenders.size() < 5) {
          offenders.add(describe(order));
        }
      }
    }
    figures.put("duplicateOrders", keysWithTwoIds + unexplained);
    figures.put("duplicateReservationsReleased", duplicateReservations);
    checks.add(new Check("one order per Idempotency-Key", keysWithTwoIds == 0 && unexplained == 0, String.format(
        "%d keys answered with two order ids; %d listed orders no answer or unanswered attempt explains "
            + "(%d placements ended without an answer)", keysWithTwoIds, unexplained,
        undecided.values().stream().mapToInt(Integer::intValue).sum())));
    checks.add(new Check("one standing reservation per live order", reservationViolations == 0, String.format(
        "%d orders where PLACED/SHIPPED did not have exactly one standing reservation or CANCELLED had one; "
            + "%d orders were reserved in two regions (one released)%s", reservationViolations, duplicateReservations,
        offenders.isEmpty() ? "" : "; " + String.join("; ", new LinkedHashSet<>(offenders)))));
    checks.add(new Check("every duplicate reservation recorded as a conflict", duplicatesUnrecorded == 0,
        duplicatesUnrecorded + " of " + duplicateReservations + " orders reserved twice carry no earliest-reservation-stands conflict"));

    // 3. Stock conserved, never negative, nothing oversold.
    Map<String, Long> liveUnits = new HashMap<>();
    for (JsonNode order : home.values()) {
      String status = order.path("status").asText();
      if (status.equals("PLACED") || status.equals("SHIPPED")) {
        order.path("lines").forEach(l -> liveUnits.merge(l.path("productId").asText(), l.path("quantity").asLong(), Long::sum));
      }
    }
    long negative = 0;
    long oversold = 0;
    boolean conserved = true;
    boolean holdsMatch = true;
    Map<String, Object> perProduct = new LinkedHashMap<>();
    for (String id : catalog.ids()) {
      for (String region : s.products().keySet()) {
        for (JsonNode a : s.products().get(region).get(id).path("allocations")) {
          for (String field : List.of("available", "reserved", "sold", "inTransit")) {
            negative += a.path(field).asLong() < 0 ? 1 : 0;
          }
        }
      }
      JsonNode view = s.products().values().iterator().next().get(id);
      long total = 0;
      long held = 0;
      long inTransit = 0;
      for (JsonNode a : view.path("allocations")) {
        inTransit += a.path("inTransit").asLong();
        total += a.path("available").asLong() + a.path("reserved").asLong() + a.path("sold").asLong() + a.path("inTransit").asLong();
        held += a.path("reserved").asLong() + a.path("sold").asLong();
      }
      long baseline = catalog.baseline.get(id);
      long live = liveUnits.getOrDefault(id, 0L);
      oversold += Math.max(0, live - baseline);
      conserved &= total == baseline;
      holdsMatch &= held == live;
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("baselineUnits", baseline);
      p.put("finalUnits", total);
      p.put("unitsInTransit", inTransit);
      p.put("reservedPlusSold", held);
      p.put("unitsOfLiveOrders", live);
      perProduct.put(id, p);
    }
    figures.put("stockConserved", conserved);
    figures.put("negativeStock", negative);
    figures.put("oversoldUnits", oversold);
    figures.put("stock", perProduct);
    checks.add(new Check("stock conserved", conserved, "per product, available + reserved + sold + inTransit over every region equals "
        + "the baseline after setup: " + perProduct));
    checks.add(new Check("stock never negative", negative == 0, negative + " negative allocation fields in any region's view"));
    checks.add(new Check("zero units oversold", oversold == 0 && holdsMatch, "units of live orders beyond the stock: "
        + oversold + "; reserved + sold equals the units of live (PLACED/SHIPPED) orders for every product: " + holdsMatch));

    // 4. Conflicts merged.
    figures.put("conflictsMerged", conflicts(drillStartedAt, home.keySet()));
    return new Outcome(checks, figures);
  }

  /** Conflict records of this drill's orders and products, by entity and by rule (newest first, paged). */
  private Map<String, Object> conflicts(Instant since, Set<String> orderIds) throws Exception {
    String admin = target.token("drill-operator", true);
    Set<String> productIds = new HashSet<>(catalog.ids());
    Map<String, Long> byEntity = new TreeMap<>();
    Map<String, Long> byRule = new TreeMap<>();
    String cursor = null;
    int pages = 0;
    boolean older = false;
    do {
      String path = "/admin/conflicts?limit=100" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      String region = target.regions().get(target.regions().size() - 1);
      TimedHttpClient.Answer page = Retry.call(() -> api.get(target.regionUrl(region), path, admin));
      if (page.status() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + page.status() + ": " + page.body());
      }
      for (JsonNode c : page.json().path("items")) {
        String detected = c.path("detectedAfter").asText();
        if (!detected.isEmpty() && Instant.parse(detected).isBefore(since.minusSeconds(60))) {
          older = true;
        }
        String key = c.path("key").asText();
        if (orderIds.contains(key) || productIds.contains(key)) {
          byEntity.merge(c.path("entity").asText(), 1L, Long::sum);
          byRule.merge(c.path("rule").asText(), 1L, Long::sum);
        }
      }
      JsonNode next = page.json().path("nextCursor");
      cursor = next.isTextual() ? next.asText() : null;
      pages++;
    } while (cursor != null && !older && pages < 100);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", byEntity.values().stream().mapToLong(Long::longValue).sum());
    out.put("byEntity", byEntity);
    out.put("byRule", byRule);
    return out;
  }

  private static void example(List<String> examples, String text) {
    if (examples.size() < 3) {
      examples.add(text);
    }
  }

  /** An order as the verification saw it: id, status, each region's hold and the conflicts' rules. */
  private static String describe(JsonNode order) {
    StringBuilder out = new StringBuilder(order.path("id").asText()).append(' ').append(order.path("status").asText())
        .append(" holds [");
    for (JsonNode r : order.path("reservations")) {
      out.append(r.path("region").asText()).append(' ').append(r.path("state").asText()).append(' ')
          .append(r.path("reservedAt").asText()).append(", ");
    }
    out.append("] conflicts [");
    for (JsonNode c : order.path("conflicts")) {
      out.append(c.path("rule").asText()).append(", ");
    }
    return out.append(']').toString();
  }
}
