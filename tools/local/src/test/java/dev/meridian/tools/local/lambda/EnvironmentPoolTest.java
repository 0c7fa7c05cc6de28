package dev.meridian.tools.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tools.local.lambda.EnvironmentPool.Lease;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pool's decisions with fake environments and a fake clock: no process, no I/O. */
class EnvironmentPoolTest {

  /** A stand-in for an execution environment: only its identity matters to the pool. */
  private record Fake(String name) {}

  private final AtomicLong clock = new AtomicLong();
  private final EnvironmentBudget budget = new EnvironmentBudget(16);
  /** What the pools' stopper was given: environments the budget took back. */
  private final List<Fake> stopped = new CopyOnWriteArrayList<>();

  private EnvironmentPool<Fake> pool(int limit, boolean reserved) {
    return pool(limit, reserved, budget);
  }

  private EnvironmentPool<Fake> pool(int limit, boolean reserved, EnvironmentBudget of) {
    EnvironmentPool<Fake> pool = new EnvironmentPool<>(limit, reserved, of, clock::get, stopped::add);
    of.register(pool);
    return pool;
  }

  /** Acquires, expecting a cold start, and reports the started environment. */
  private static Fake coldStart(EnvironmentPool<Fake> pool, String name) throws InterruptedException {
    assertThat(pool.acquire().kind()).as("lease for " + name).isEqualTo(Lease.Kind.COLD);
    Fake fake = new Fake(name);
    pool.started(fake);
    return fake;
  }

  @Test
  void aWarmEnvironmentIsReusedAndANewOneStartsOnlyWhenAllAreBusy() throws Exception {
    EnvironmentPool<Fake> pool = pool(3, false);
    Fake first = coldStart(pool, "first");
    assertThat(pool.release(first)).isFalse();

    Lease<Fake> warm = pool.acquire();
    assertThat(warm.kind()).isEqualTo(Lease.Kind.WARM);
    assertThat(warm.environment()).isSameAs(first);

    Fake second = coldStart(pool, "second"); // first is busy
    assertThat(pool.counts()).isEqualTo(new EnvironmentPool.Counts(2, 0, 0, 0, 3, 2, 0, 0));
    assertThat(budget.used()).isEqualTo(2);
    pool.release(second);
    pool.release(first);
    assertThat(pool.acquire().environment()).as("the most recently used").isSameAs(first);
  }

  @Test
  void beyondTheFunctionsLimitTheInvocationIsThrottledNamingTheLimit() throws Exception {
    EnvironmentPool<Fake> local = pool(2, false);
    coldStart(local, "a");
    coldStart(local, "b");
    Lease<Fake> throttled = local.acquire();
    assertThat(throttled.kind()).isEqualTo(Lease.Kind.THROTTLED);
    assertThat(throttled.throttleReason()).isEqualTo(EnvironmentPool.LOCAL_FUNCTION_LIMIT);
    assertThat(local.counts().throttled()).isEqualTo(1);
    assertThat(budget.used()).as("a throttle holds no unit").isEqualTo(2);

    EnvironmentPool<Fake> reserved = pool(1, true);
    coldStart(reserved, "r");
    assertThat(reserved.acquire().throttleReason()).isEqualTo(EnvironmentPool.RESERVED_LIMIT);
    assertThat(pool(0, true).acquire().throttleReason()).as("reserved concurrency 0 throttles everything")
        .isEqualTo(EnvironmentPool.RESERVED_LIMIT);
  }

  @Test
  void whenTheStackBudgetIsSpentAnotherFunctionIsThrottledUntilAUnitIsGivenBack() throws Exception {
    EnvironmentBudget small = new EnvironmentBudget(2);
    EnvironmentPool<Fake> orders = pool(3, false, small);
    EnvironmentPool<Fake> health = pool(3, false, small);
    Fake o1 = coldStart(orders, "o1");
    coldStart(orders, "o2");

    Lease<Fake> refused = health.acquire();
    assertThat(refused.kind()).isEqualTo(Lease.Kind.THROTTLED);
    assertThat(refused.throttleReason()).isEqualTo(EnvironmentPool.ACCOUNT_LIMIT);
    assertThat(small.reclaimLeastRecentlyUsed()).as("both busy: nothing to take back").isFalse();

    orders.discard(o1); // its process died: the unit comes back
    assertThat(small.used()).isEqualTo(1);
    coldStart(health, "h1");
  }

  @Test
  void aSpentBudgetTakesBackTheStacksLeastRecentlyUsedIdleEnvironment() throws Exception {
    EnvironmentBudget small = new EnvironmentBudget(3);
    EnvironmentPool<Fake> catalog = pool(3, false, small);
    EnvironmentPool<Fake> orders = pool(3, false, small);
    EnvironmentPool<Fake> health = pool(3, false, small);
    Fake c1 = coldStart(catalog, "c1");
    Fake o1 = coldStart(orders, "o1");
    Fake o2 = coldStart(orders, "o2");
    orders.release(o1);
    clock.addAndGet(1_000);
    catalog.release(c1);
    assertThat(health.acquire().throttleReason()).isEqualTo(EnvironmentPool.ACCOUNT_LIMIT);

    assertThat(small.reclaimLeastRecentlyUsed()).isTrue();
    assertThat(stopped).as("idle longest, whichever function").containsExactly(o1);
    assertThat(orders.counts()).isEqualTo(new EnvironmentPool.Counts(1, 0, 0, 0, 3, 2, 1, 0));
    coldStart(health, "h1");
    assertThat(small.used()).isEqualTo(3);
    assertThat(orders.release(o2)).isFalse();
  }

  /** The invocation path: the room is made before the answer, and only a throttle the invocation gets is counted. */
  @Test
  void anInvocationMakesRoomInASpentBudgetAndIsThrottledOnlyWhenNothingIsIdle() throws Exception {
    EnvironmentBudget small = new EnvironmentBudget(2);
    EnvironmentPool<Fake> catalog = pool(3, false, small);
    EnvironmentPool<Fake> health = pool(3, false, small);
    Fake c1 = coldStart(catalog, "c1");
    coldStart(catalog, "c2");
    catalog.release(c1);

    assertThat(health.acquireMakingRoom().kind()).as("c1 was idle: taken back").isEqualTo(Lease.Kind.COLD);
    assertThat(stopped).containsExactly(c1);
    health.started(new Fake("h1"));
    assertThat(health.counts().throttled()).as("the invocation ran").isZero();

    Lease<Fake> refused = health.acquireMakingRoom();
    assertThat(refused.throttleReason()).as("c2 and h1 busy: nothing to take back").isEqualTo(EnvironmentPool.ACCOUNT_LIMIT);
    assertThat(health.counts().throttled()).isEqualTo(1);
    assertThat(small.used()).isEqualTo(2);
  }

  @Test
  void onlyOneEnvironmentInitializesAtATimeAndAWaiterTakesWhatIsIdleAfterwards() throws Exception {
    EnvironmentPool<Fake> pool = pool(3, false);
    Fake busy = coldStart(pool, "busy");
    assertThat(pool.acquire().kind()).as("second environment starting").isEqualTo(Lease.Kind.COLD);

    CompletableFuture<Lease<Fake>> waiter = acquireLater(pool);
    awaitWaiting(pool, 1);
    assertThat(waiter).as("waits while the other initializes").isNotDone();
    assertThat(pool.counts().initializing()).isEqualTo(1);

    pool.release(busy); // idle now, though the init has not ended
    Lease<Fake> lease = waiter.get(5, TimeUnit.SECONDS);
    assertThat(lease.kind()).isEqualTo(Lease.Kind.WARM);
    assertThat(lease.environment()).isSameAs(busy);

    pool.started(new Fake("second"));
    assertThat(pool.counts()).isEqualTo(new EnvironmentPool.Counts(2, 0, 0, 0, 3, 2, 0, 0));
  }

  @Test
  void aWaiterStartsItsOwnWhenTheInitEndsAndNothingIsIdle() throws Exception {
    EnvironmentPool<Fake> pool = pool(3, false);
    coldStart(pool, "busy");
    assertThat(pool.acquire().kind()).isEqualTo(Lease.Kind.COLD);
    CompletableFuture<Lease<Fake>> waiter = acquireLater(pool);
    awaitWaiting(pool, 1);
    pool.initFailed(); // the second start failed: its unit is back and the waiter may try
    assertThat(waiter.get(5, TimeUnit.SECONDS).kind()).isEqualTo(Lease.Kind.COLD);
    assertThat(budget.used()).isEqualTo(2);
  }

  @Test
  void anInvocationThatWouldExceedTheLimitIsThrottledEvenWhileAnotherInitializes() throws Exception {
    EnvironmentPool<Fake> pool = pool(2, false);
    coldStart(pool, "busy");
    assertThat(pool.acquire().kind()).isEqualTo(Lease.Kind.COLD);
    assertThat(pool.acquire().kind()).as("busy + initializing = limit: Lambda does not queue")
        .isEqualTo(Lease.Kind.THROTTLED);
  }

  @Test
  void idleEnvironmentsAreReclaimedAfterTheTimeoutAndTheNextInvocationIsCold() throws Exception {
    EnvironmentPool<Fake> pool = pool(3, false);
    Fake a = coldStart(pool, "a");
    Fake b = coldStart(pool, "b");
    pool.release(a);
    clock.addAndGet(Duration.ofSeconds(200).toNanos());
    pool.release(b);
    clock.addAndGet(Duration.ofSeconds(100).toNanos());

    assertThat(pool.reclaimIdle(Duration.ofSeconds(300))).as("idle 300 s and 100 s").containsExactly(a);
    assertThat(budget.used()).isEqualTo(1);
    clock.addAndGet(Duration.ofSeconds(200).toNanos());
    assertThat(pool.reclaimIdle(Duration.ofSeconds(300))).containsExactly(b);
    assertThat(pool.counts().total()).as("Lambda keeps none").isZero();
    assertThat(pool.counts().reclaimed()).isEqualTo(2);
    assertThat(pool.acquire().kind()).isEqualTo(Lease.Kind.COLD);
  }

  @Test
  void aBusyEnvironmentIsNeverReclaimed() throws Exception {
    EnvironmentPool<Fake> pool = pool(3, false);
    coldStart(pool, "busy");
    clock.addAndGet(Duration.ofHours(1).toNanos());
    assertThat(pool.reclaimIdle(Duration.ofSeconds(300))).isEmpty();
    assertThat(pool.counts().busy()).isEqualTo(1);
  }

  @Test
  void retiredEnvironmentsAreStoppedIdleAtOnceAndBusyWhenTheirInvocationEnds() throws Exception {
    EnvironmentPool<Fake> pool = pool(3, false);
    Fake idle = coldStart(pool, "idle");
    Fake busy = coldStart(pool, "busy");
    pool.release(idle);

    assertThat(pool.retire()).containsExactly(idle);
    assertThat(pool.retiring()).isEqualTo(1);
    assertThat(pool.acquire().kind()).as("nothing is handed out again").isEqualTo(Lease.Kind.COLD);
    Fake fresh = new Fake("fresh");
    pool.started(fresh);

    assertThat(pool.release(busy)).as("stop it").isTrue();
    assertThat(pool.retiring()).isZero();
    assertThat(pool.release(fresh)).as("a new environment stays").isFalse();
    assertThat(pool.counts().total()).isEqualTo(1);
    assertThat(budget.used()).isEqualTo(1);
  }

  @Test
  void bookkeepingErrorsAreRefused() {
    EnvironmentPool<Fake> pool = pool(1, false);
    assertThatThrownBy(() -> pool.started(new Fake("x"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(pool::initFailed).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> pool.release(new Fake("x"))).isInstanceOf(IllegalStateException.class);
  }

  private static void awaitWaiting(EnvironmentPool<Fake> pool, int waiting) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pool.counts().waiting() < waiting) {
      assertThat(System.nanoTime()).as("a caller waiting in the pool").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  /** An acquire on another thread, for the cases where it has to wait. */
  private static CompletableFuture<Lease<Fake>> acquireLater(EnvironmentPool<Fake> pool) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return pool.acquire();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
