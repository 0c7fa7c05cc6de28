package dev.meridian.tools.drill;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the virtual customers were told: every Idempotency-Key they sent, every answer naming an
 * order, which orders were acknowledged (201 placed, 202 pending stock) and which cancels. The
 * verification compares the regions' final state with it.
 */
final class OrderLedger {
  /** The status order a region's copy may only move up: PENDING_STOCK < PLACED < CANCELLED < SHIPPED. */
  static final List<String> STATUS_ORDER = List.of("PENDING_STOCK", "PLACED", "CANCELLED", "SHIPPED");

  /** One answer to a placement (first try, retry or a replay through another region). */
  record Answer(String region, int status, String orderId, double atMs, boolean replay) {}

  /** One Idempotency-Key of one customer. */
  static final class Placement {
    final String customer;
    final String key;
    final Map<String, Integer> lines;
    final List<Answer> answers = new ArrayList<>();
    volatile String orderId;
    volatile String ackedStatus;
    volatile String ackedRegion;
    volatile double ackedAtMs = -1;
    volatile boolean cancelAcked;
    /** Every attempt failed or timed out: the order may exist or not. */
    volatile boolean undecided;

    Placement(String customer, String key, Map<String, Integer> lines) {
      this.customer = customer;
      this.key = key;
      this.lines = lines;
    }

    boolean acknowledged() {
      return ackedStatus != null;
    }

    /** The most advanced status the customer was told. */
    String toldStatus() {
      return cancelAcked ? "CANCELLED" : ackedStatus;
    }

    synchronized void answer(Answer a) {
      answers.add(a);
    }

    synchronized List<Answer> answers() {
      return List.copyOf(answers);
    }
  }

  private final Map<String, Placement> byKey = new ConcurrentHashMap<>();

  Placement open(String customer, String key, Map<String, Integer> lines) {
    Placement p = new Placement(customer, key, lines);
    byKey.put(customer + "/" + key, p);
    return p;
  }

  Collection<Placement> all() {
    return byKey.values();
  }

  List<Placement> acknowledged() {
    return byKey.values().stream().filter(Placement::acknowledged).toList();
  }

  static int rank(String status) {
    int i = STATUS_ORDER.indexOf(status);
    if (i < 0) {
      throw new IllegalArgumentException("unknown order status " + status);
    }
    return i;
  }
}
