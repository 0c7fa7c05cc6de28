package dev.meridian.tools.drill;

import dev.meridian.adapter.dynamodb.DynamoDbHeartbeatRepository;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The incident audit's comparison, apart from any I/O: given every item of every replica, it
 * finds the items whose presence, version or stamps differ between regions, the acknowledged
 * orders a region does not hold, and the conflicts recorded in the window.
 */
final class ReplicaAudit {
  /** Each region writes its own heartbeat every few seconds, so replicas always disagree on it for a moment. */
  static final String SKIPPED_PARTITION = DynamoDbHeartbeatRepository.HEARTBEAT_PK;

  /** An order a customer was told was accepted (201 or 202), and by which region. */
  record Acknowledged(String orderId, String region, String status) {}

  /** The time the audit is about: conflicts detected in it, and (without a ledger) orders placed in it. */
  record Window(Instant from, Instant to) {
    Window {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (to.isBefore(from)) {
        throw new IllegalArgumentException("the window ends (" + to + ") before it starts (" + from + ")");
      }
    }

    boolean contains(HlcStamp stamp) {
      return stamp.physicalMillis() >= from.toEpochMilli() && stamp.physicalMillis() <= to.toEpochMilli();
    }
  }

  /** One item the replicas disagree on; {@code byRegion} holds null where the region lacks it. */
  record Divergence(String key, String entity, List<String> differs, Map<String, ReplicaItem> byRegion) {}

  /** An acknowledged order some regions do not hold. */
  record MissingOrder(String orderId, String acknowledgedBy, String status, List<String> missingIn) {}

  /** A conflict record and the replicas that hold it. */
  record RecordedConflict(Conflict conflict, List<String> recordedIn) {}

  record Report(List<String> regions, Map<String, Integer> itemsPerRegion, int heartbeatsSkipped, Window window,
      String expectationSource, int expectedOrders, List<Divergence> divergences, List<MissingOrder> missingOrders,
      List<RecordedConflict> conflicts) {

    /** Nothing missing, nothing different: the replicas agree item by item. */
    boolean clean() {
      return divergences.isEmpty() && missingOrders.isEmpty();
    }
  }

  private ReplicaAudit() {}

  /**
   * @param replicas     region to every item of its replica (the regions in deployment order)
   * @param acknowledged the drill's ledger; empty to take every order placed in the window, in any replica
   */
  static Report compare(Map<String, List<Map<String, AttributeValue>>> replicas, Optional<List<Acknowledged>> acknowledged,
      Window window) {
    List<String> regions = List.copyOf(replicas.keySet());
    if (regions.size() < 2) {
      throw new IllegalArgumentException("an audit compares at least two replicas, got " + regions);
    }
    Map<String, Map<String, ReplicaItem>> byKey = new TreeMap<>();
    Map<String, Integer> itemsPerRegion = new LinkedHashMap<>();
    Map<String, Conflict> conflicts = new TreeMap<>();
    Map<String, Set<String>> conflictRegions = new TreeMap<>();
    Map<String, Order> ordersInAnyReplica = new TreeMap<>();
    int skipped = 0;
    for (String region : regions) {
      List<Map<String, AttributeValue>> items = replicas.get(region);
      itemsPerRegion.put(region, items.size());
      for (Map<String, AttributeValue> raw : items) {
        ReplicaItem item = ReplicaItem.of(raw);
        if (SKIPPED_PARTITION.equals(item.pk())) {
          skipped++;
          continue;
        }
        byKey.computeIfAbsent(item.key(), k -> new TreeMap<>()).put(region, item);
        if (item.stamps().containsKey("decode")) {
          continue;
        }
        if (Items.CONFLICT_ENTITY.equals(item.entity())) {
          Conflict c = Items.conflictRecord(raw);
          if (window.contains(c.detectedAfter())) {
            conflicts.putIfAbsent(c.id(), c);
            conflictRegions.computeIfAbsent(c.id(), k -> new LinkedHashSet<>()).add(region);
          }
        } else if (Order.ENTITY.equals(item.entity()) && acknowledged.isEmpty()) {
          Order o = Items.order(raw);
          if (window.contains(o.body().placedAt())) {
            ordersInAnyReplica.putIfAbsent(o.id().value(), o);
          }
        }
      }
    }

    List<Divergence> divergences = new ArrayList<>();
    byKey.forEach((key, held) -> {
      List<String> differs = differences(regions, held);
      if (!differs.isEmpty()) {
        Map<String, ReplicaItem> perRegion = new LinkedHashMap<>();
        regions.forEach(r -> perRegion.put(r, held.get(r)));
        String entity = held.values().stream().map(ReplicaItem::entity).filter(Objects::nonNull).findFirst().orElse("?");
        divergences.add(new Divergence(key, entity, differs, perRegion));
      }
    });

    List<Acknowledged> expected = acknowledged.orElseGet(() -> ordersInAnyReplica.values().stream()
        .map(o -> new Acknowledged(o.id().value(), o.body().homeRegion(), o.body().initialStatus().name())).toList());
    List<MissingOrder> missing = new ArrayList<>();
    for (Acknowledged a : expected) {
      Map<String, ReplicaItem> held = byKey.getOrDefault(orderKey(a.orderId()), Map.of());
      List<String> missingIn = regions.stream().filter(r -> !held.containsKey(r)).toList();
      if (!missingIn.isEmpty()) {
        missing.add(new MissingOrder(a.orderId(), a.region(), a.status(), missingIn));
      }
    }

    List<RecordedConflict> recorded = new ArrayList<>();
    conflicts.forEach((id, c) -> recorded.add(new RecordedConflict(c, List.copyOf(conflictRegions.get(id)))));
    recorded.sort((a, b) -> a.conflict().detectedAfter().compareTo(b.conflict().detectedAfter()));
    return new Report(regions, itemsPerRegion, skipped, window, acknowledged.isPresent() ? "ledger" : "window", expected.size(),
        divergences, missing, recorded);
  }

  static String orderKey(String orderId) {
    return Items.ORDER_PREFIX + orderId + " / " + Items.ORDER_SK;
  }

  /** What differs for one key: {@code presence}, {@code version}, {@code stamp:<field>}; empty when every region agrees. */
  private static List<String> differences(List<String> regions, Map<String, ReplicaItem> held) {
    List<String> differs = new ArrayList<>();
    if (held.size() < regions.size()) {
      differs.add("presence");
    }
    if (held.values().stream().map(ReplicaItem::version).distinct().count() > 1) {
      differs.add(TableDesign.VERSION);
    }
    Set<String> fields = new TreeSet<>();
    held.values().forEach(i -> fields.addAll(i.stamps().keySet()));
    for (String field : fields) {
      if (held.values().stream().map(i -> i.stamps().get(field)).distinct().count() > 1) {
        differs.add("stamp:" + field);
      }
    }
    return differs;
  }
}
