package dev.meridian.tools.drill;

import dev.meridian.tools.local.client.DnsCache.Resolution;
import dev.meridian.tools.local.client.TimedHttpClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One customer in one client location, looping at its pace: browse the catalog, read a product,
 * place an order with a fresh Idempotency-Key (retried with the same key on a timeout or 5xx, as a
 * careful client does, re-resolving the name each time, which its DNS cache answers until the TTL
 * expires), read the order back, and sometimes cancel it or replay it through another region.
 */
final class VirtualCustomer implements Runnable {
  /** Shared by every customer of a drill. */
  record Context(Target target, TimedHttpClient api, Recorder recorder, OrderLedger ledger, Workload workload, DrillProducts catalog,
      AtomicBoolean starting, long retryDeadlineNanos, Counters counters) {}

  /** Answers worth counting apart from the request log. */
  static final class Counters {
    final AtomicLong ownOrderNotFound = new AtomicLong();
    final AtomicLong outOfStock = new AtomicLong();
    final AtomicLong unexpected = new AtomicLong();
    final AtomicLong placementsGivenUp = new AtomicLong();
    final AtomicLong replayIdMismatch = new AtomicLong();
  }

  /** A request's result: the answer, or the transport failure. */
  private record Result(TimedHttpClient.Answer answer, String outcome, boolean failed, String region) {
    int status() {
      return answer == null ? -1 : answer.status();
    }
  }

  private final Context ctx;
  private final String location;
  private final String customer;
  private final String token;
  private final Target.Resolver resolver;
  private final Random random;
  private int sequence;

  VirtualCustomer(Context ctx, String location, String customer, long seed) {
    this.ctx = ctx;
    this.location = location;
    this.customer = customer;
    this.token = ctx.target().token(customer, false);
    this.resolver = ctx.target().resolver(location);
    this.random = new Random(seed);
  }

  String customer() {
    return customer;
  }

  @Override
  public void run() {
    long interval = ctx.workload().interval().toNanos();
    // Spread the customers' first iterations over one interval.
    long next = System.nanoTime() + (long) (random.nextDouble() * interval);
    while (ctx.starting().get()) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        if (!sleep(Math.min(wait, 200_000_000L))) {
          return;
        }
        continue;
      }
      try {
        iteration();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        ctx.counters().unexpected.incrementAndGet();
        System.err.println("[" + customer + "] " + e);
      }
      next = Math.max(next + interval, System.nanoTime());
    }
  }

  private void iteration() throws InterruptedException {
    DrillProducts.Item item = ctx.catalog().pick(random);
    send("browse", "GET", "/products?limit=20", null, Map.of());
    send("product", "GET", "/products/" + item.id(), null, Map.of());
    int quantity = random.nextDouble() < 0.2 ? 2 : 1;
    Map<String, Integer> lines = Map.of(item.id(), quantity);
    String key = customer + "-" + (++sequence);
    OrderLedger.Placement placement = ctx.ledger().open(customer, key, lines);
    String body = "{\"lines\":[{\"productId\":\"" + item.id() + "\",\"quantity\":" + quantity + "}]}";
    Result placed = null;
    for (int attempt = 1; attempt <= ctx.workload().maxAttempts(); attempt++) {
      placed = send("place", "POST", "/orders", body, Map.of("Idempotency-Key", key));
      if (!placed.failed()) {
        break;
      }
      if (attempt == ctx.workload().maxAttempts() || !backoff(attempt)) {
        break;
      }
    }
    if (placed.failed()) {
      placement.undecided = true;
      ctx.counters().placementsGivenUp.incrementAndGet();
      return;
    }
    int status = placed.status();
    String orderId = status == 201 || status == 202 || status == 409 ? orderId(placed.answer()) : null;
    placement.answer(new OrderLedger.Answer(placed.region(), status, orderId, ms(placed.answer().answeredNanos()), false));
    if (status == 409) {
      ctx.counters().outOfStock.incrementAndGet();
      return;
    }
    if (status != 201 && status != 202) {
      ctx.counters().unexpected.incrementAndGet();
      System.err.println("[" + customer + "] POST /orders answered " + status + ": " + placed.answer().body());
      return;
    }
    placement.orderId = orderId;
    placement.ackedRegion = placed.region();
    placement.ackedAtMs = ms(placed.answer().answeredNanos());
    placement.ackedStatus = placed.answer().json().path("status").asText();

    Result read = send("read-order", "GET", "/orders/" + orderId, null, Map.of());
    if (read.status() == 404) {
      ctx.counters().ownOrderNotFound.incrementAndGet();
    }
    if (random.nextDouble() < ctx.workload().crossRegionReplay()) {
      replayElsewhere(placement, body, placed.region());
    }
    if (random.nextDouble() < ctx.workload().cancelShare()) {
      for (int attempt = 1; attempt <= ctx.workload().maxAttempts(); attempt++) {
        Result cancelled = send("cancel", "POST", "/orders/" + orderId + "/cancel", "", Map.of());
        if (cancelled.status() == 200) {
          placement.cancelAcked = true;
          break;
        }
        if (!cancelled.failed() || attempt == ctx.workload().maxAttempts() || !backoff(attempt)) {
          break;
        }
      }
    }
  }

  /** The same key and body through another region's own URL, as a client whose answer was lost. */
  private void replayElsewhere(OrderLedger.Placement placement, String body, String servedBy) throws InterruptedException {
    List<String> others = ctx.target().regions().stream().filter(r -> !r.equals(servedBy)).toList();
    if (others.isEmpty()) {
      return;
    }
    String region = others.get(random.nextInt(others.size()));
    Result replay = send("replay", new Resolution(region, ctx.target().regionUrl(region)), "POST", "/orders", body,
        Map.of("Idempotency-Key", placement.key));
    if (replay.answer() != null && (replay.status() == 201 || replay.status() == 202 || replay.status() == 409)) {
      String id = orderId(replay.answer());
      placement.answer(new OrderLedger.Answer(region, replay.status(), id, ms(replay.answer().answeredNanos()), true));
      if (id != null && !id.equals(placement.orderId)) {
        ctx.counters().replayIdMismatch.incrementAndGet();
      }
    }
  }

  private Result send(String operation, String method, String path, String body, Map<String, String> headers)
      throws InterruptedException {
    Resolution where;
    long sent = System.nanoTime();
    try {
      where = resolver.resolve();
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      long done = System.nanoTime();
      ctx.recorder().request(location, "dns", operation, sent, done, "dns-failed", true);
      return new Result(null, "dns-failed", true, "dns");
    }
    return send(operation, where, method, path, body, headers);
  }

  private Result send(String operation, Resolution where, String method, String path, String body,
      Map<String, String> headers) throws InterruptedException {
    long sent = System.nanoTime();
    try {
      TimedHttpClient.Answer answer = ctx.api().call(where.url(), method, path, token, body, headers);
      String region = answer.region() != null ? answer.region() : where.region();
      boolean failed = answer.status() >= 500;
      ctx.recorder().request(location, region, operation, answer.sentNanos(), answer.answeredNanos(),
          Integer.toString(answer.status()), failed);
      return new Result(answer, Integer.toString(answer.status()), failed, region);
    } catch (IOException e) {
      long done = System.nanoTime();
      String outcome = outcome(e);
      ctx.recorder().request(location, where.region(), operation, sent, done, outcome, true);
      return new Result(null, outcome, true, where.region());
    }
  }

  private static String outcome(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connect-timeout";
    }
    if (e instanceof HttpTimeoutException) {
      return "timeout";
    }
    if (e instanceof ConnectException || (e.getCause() instanceof ConnectException)) {
      return "refused";
    }
    return "io-error";
  }

  private static String orderId(TimedHttpClient.Answer answer) {
    String id = answer.json().path("id").asText(null);
    return id != null ? id : answer.json().path("orderId").asText(null);
  }

  /** Waits before attempt {@code attempt + 1}: 250 ms doubling to 4 s, with jitter; false past the deadline. */
  private boolean backoff(int attempt) throws InterruptedException {
    long delay = (long) (Math.min(4_000, 250L << Math.min(attempt - 1, 4)) * (0.5 + random.nextDouble()) * 1_000_000L);
    if (System.nanoTime() + delay > ctx.retryDeadlineNanos()) {
      return false;
    }
    Thread.sleep(delay / 1_000_000L);
    return true;
  }

  private double ms(long nanos) {
    return ctx.recorder().msSinceStart(nanos);
  }

  private static boolean sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Map<String, Object> describe(Workload w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ratePerSecond", w.rate());
    m.put("customersPerLocation", w.customersPerLocation());
    m.put("locations", w.locations());
    m.put("iteration", "GET /products?limit=20, GET /products/{id}, POST /orders (fresh Idempotency-Key; timeouts and 5xx "
        + "retried with the same key, 250 ms doubling to 4 s), GET /orders/{id}, then sometimes POST /orders/{id}/cancel");
    m.put("cancelShare", w.cancelShare());
    m.put("crossRegionReplayShare", w.crossRegionReplay());
    m.put("maxAttempts", w.maxAttempts());
    m.put("requestTimeoutMs", w.requestTimeout().toMillis());
    return m;
  }

}
