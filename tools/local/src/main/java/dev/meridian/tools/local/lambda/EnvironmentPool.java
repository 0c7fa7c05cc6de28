package dev.meridian.tools.local.lambda;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The execution environments of one function and the decision, per invocation, between reusing an
 * idle one, starting a new one (a cold start) and throttling, as Lambda makes it:
 *
 * <ul>
 *   <li>An invocation takes an idle environment when there is one (the most recently used, so the
 *       others age towards reclaim).
 *   <li>When every environment is busy, a new one is started, as long as the function has fewer
 *       than its limit (its reserved concurrency, or the stack's per-function maximum) and the
 *       stack-wide {@link EnvironmentBudget} grants a unit.
 *   <li>Beyond either limit the invocation is throttled at once: Lambda does not queue a
 *       synchronous invocation. An environment that is initializing counts as busy.
 *   <li>Departure from Lambda: only one environment of a function initializes at a time. An
 *       invocation that would start a second one while another initializes waits for that init to
 *       end, then takes whatever is idle by then, or starts its own, or is throttled. Twenty-five
 *       health JVMs initializing at once starved a 2-core machine for minutes.
 *   <li>Idle environments are reclaimed after the idle timeout ({@link #reclaimIdle}); none is kept,
 *       so the next invocation after a reclaim is a cold start again. The budget may also take the
 *       least recently used idle one back earlier, for another function ({@link
 *       #reclaimOldestIdle}).
 *   <li>{@link #retire} (a configuration change, a recycle) stops the idle environments and marks
 *       the busy ones to be stopped when their invocation ends: none of them is handed out again.
 * </ul>
 *
 * <p>The pool only keeps books; starting and stopping environments is the caller's work: {@link
 * #acquire} answers {@link Lease.Kind#COLD} with no environment, the caller starts one and reports
 * {@link #started} or {@link #initFailed}; environments the pool gives back from {@link #release},
 * {@link #reclaimIdle} and {@link #retire} are the caller's to stop. Every environment removed from
 * the pool gives its unit back to the budget. Thread-safe; no I/O, so fake environments serve in
 * tests.
 *
 * @param <E> the environment type (identity matters, not equality)
 */
public final class EnvironmentPool<E> implements EnvironmentBudget.Reclaimable {

  /** What {@link #acquire} granted. */
  public record Lease<E>(Kind kind, E environment, String throttleReason) {

    /** How the invocation proceeds. */
    public enum Kind {
      /** Run on {@link #environment()}, an idle environment now marked busy. */
      WARM,
      /** Start a new environment (the budget unit is held), then report {@link EnvironmentPool#started} or {@link EnvironmentPool#initFailed}. */
      COLD,
      /** Do not run: {@link #throttleReason()} says which limit was reached. */
      THROTTLED
    }
  }

  /** A snapshot of the pool's books. */
  public record Counts(int busy, int idle, int initializing, int waiting, int limit, int started, int reclaimed,
      int throttled) {

    /** Environments alive, an initializing one included. */
    public int total() {
      return busy + idle + initializing;
    }
  }

  /** Lambda's reason for a throttle by the function's reserved concurrency. */
  public static final String RESERVED_LIMIT = "ReservedFunctionConcurrentInvocationLimitExceeded";
  /** Lambda's reason for a throttle by the account's concurrency: here, the stack's environment budget. */
  public static final String ACCOUNT_LIMIT = "ConcurrentInvocationLimitExceeded";
  /** Not a Lambda reason: the local stack's per-function maximum (Lambda would scale further). */
  public static final String LOCAL_FUNCTION_LIMIT = "LocalMaxEnvironmentsPerFunctionExceeded";

  /** How often one invocation may have the budget take back an idle environment before it is throttled. */
  static final int ROOM_ATTEMPTS = 3;

  private record Idle<E>(E environment, long sinceNanos) {}

  private final int limit;
  private final boolean reserved;
  private final EnvironmentBudget budget;
  private final LongSupplier nanoTime;
  private final Consumer<? super E> stopper;
  /** Most recently released first. */
  private final Deque<Idle<E>> idle = new ArrayDeque<>();
  private final Map<E, Integer> busy = new IdentityHashMap<>();
  private boolean initializing;
  private int waiting;
  private int generation;
  private int started;
  private int reclaimed;
  private int throttled;

  /**
   * @param limit    the most environments this function may have at once
   * @param reserved whether {@code limit} is the function's reserved concurrency (it names the
   *                 throttle reason)
   * @param nanoTime the clock idle time is measured on ({@link System#nanoTime} outside tests)
   * @param stopper  stops an environment the budget took back ({@link #reclaimOldestIdle}); called
   *                 without the pool's lock
   */
  public EnvironmentPool(int limit, boolean reserved, EnvironmentBudget budget, LongSupplier nanoTime,
      Consumer<? super E> stopper) {
    if (limit < 0) {
      throw new IllegalArgumentException("a function's environment limit cannot be negative: " + limit);
    }
    this.limit = limit;
    this.reserved = reserved;
    this.budget = Objects.requireNonNull(budget, "budget");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.stopper = Objects.requireNonNull(stopper, "stopper");
  }

  /**
   * Decides how one invocation runs. Blocks only while another environment of this function
   * initializes (see the class comment); never while environments are merely busy. A spent budget
   * throttles even when other functions hold idle environments: {@link #acquireMakingRoom} is the
   * invocation path, this the decision alone.
   */
  public Lease<E> acquire() throws InterruptedException {
    return counted(lease());
  }

  /**
   * {@link #acquire}, except that when the stack's budget is spent the budget first takes back the
   * stack's least recently used idle environment ({@link EnvironmentBudget#reclaimLeastRecentlyUsed}),
   * up to {@value #ROOM_ATTEMPTS} times, and the invocation is granted again: on Lambda an idle
   * environment does not count against the account's concurrency. Only the answer the invocation
   * gets counts as a throttle. Called without the pool's lock, as the reclaim takes other pools'.
   */
  public Lease<E> acquireMakingRoom() throws InterruptedException {
    for (int room = 0; ; room++) {
      Lease<E> lease = lease();
      if (lease.kind() != Lease.Kind.THROTTLED || !ACCOUNT_LIMIT.equals(lease.throttleReason()) || room == ROOM_ATTEMPTS
          || !budget.reclaimLeastRecentlyUsed()) {
        return counted(lease);
      }
    }
  }

  private synchronized Lease<E> counted(Lease<E> lease) {
    if (lease.kind() == Lease.Kind.THROTTLED) {
      throttled++;
    }
    return lease;
  }

  private synchronized Lease<E> lease() throws InterruptedException {
    while (true) {
      Idle<E> warm = idle.pollFirst();
      if (warm != null) {
        busy.put(warm.environment(), generation);
        return new Lease<>(Lease.Kind.WARM, warm.environment(), null);
      }
      // An initializing environment will be busy with the invocation that started it.
      if (busy.size() + (initializing ? 1 : 0) >= limit) {
        return new Lease<>(Lease.Kind.THROTTLED, null, reserved ? RESERVED_LIMIT : LOCAL_FUNCTION_LIMIT);
      }
      if (!initializing) {
        if (!budget.tryAcquire()) {
          return new Lease<>(Lease.Kind.THROTTLED, null, ACCOUNT_LIMIT);
        }
        initializing = true;
        return new Lease<>(Lease.Kind.COLD, null, null);
      }
      waiting++;
      try {
        wait();
      } finally {
        waiting--;
      }
    }
  }

  /** The environment a {@link Lease.Kind#COLD} lease started is ready and runs that invocation. */
  public synchronized void started(E environment) {
    requireInitializing();
    initializing = false;
    started++;
    busy.put(Objects.requireNonNull(environment, "environment"), generation);
    notifyAll();
  }

  /** The start a {@link Lease.Kind#COLD} lease granted failed; its budget unit is given back. */
  public synchronized void initFailed() {
    requireInitializing();
    initializing = false;
    budget.release();
    notifyAll();
  }

  /**
   * The invocation on a busy environment ended normally.
   *
   * @return true when the environment was retired meanwhile and must be stopped (it left the pool)
   */
  public synchronized boolean release(E environment) {
    Integer born = busy.remove(environment);
    if (born == null) {
      throw new IllegalStateException("not a busy environment of this pool: " + environment);
    }
    if (born < generation) {
      budget.release();
      notifyAll();
      return true;
    }
    idle.addFirst(new Idle<>(environment, nanoTime.getAsLong()));
    notifyAll();
    return false;
  }

  /** A busy or idle environment died or was stopped (timeout, crash): it leaves the pool. */
  public synchronized void discard(E environment) {
    boolean removed = busy.remove(environment) != null;
    for (Iterator<Idle<E>> it = idle.iterator(); !removed && it.hasNext(); ) {
      if (it.next().environment() == environment) {
        it.remove();
        removed = true;
      }
    }
    if (removed) {
      budget.release();
      notifyAll();
    }
  }

  /** Removes the environments idle for at least {@code idleTimeout}; the caller stops them. */
  public synchronized List<E> reclaimIdle(Duration idleTimeout) {
    long now = nanoTime.getAsLong();
    List<E> out = new ArrayList<>();
    for (Iterator<Idle<E>> it = idle.iterator(); it.hasNext(); ) {
      Idle<E> entry = it.next();
      if (now - entry.sinceNanos() >= idleTimeout.toNanos()) {
        it.remove();
        out.add(entry.environment());
        budget.release();
      }
    }
    reclaimed += out.size();
    return out;
  }

  @Override
  public synchronized OptionalLong oldestIdleSince() {
    Idle<E> oldest = idle.peekLast();
    return oldest == null ? OptionalLong.empty() : OptionalLong.of(oldest.sinceNanos());
  }

  @Override
  public boolean reclaimOldestIdle() {
    E environment;
    synchronized (this) {
      Idle<E> oldest = idle.pollLast();
      if (oldest == null) {
        return false;
      }
      environment = oldest.environment();
      budget.release();
      reclaimed++;
    }
    stopper.accept(environment);
    return true;
  }

  /**
   * Takes every environment out of service: the idle ones are returned (the caller stops them), the
   * busy ones are returned by {@link #release} when their invocation ends.
   */
  public synchronized List<E> retire() {
    generation++;
    List<E> out = new ArrayList<>();
    for (Idle<E> entry : idle) {
      out.add(entry.environment());
      budget.release();
    }
    idle.clear();
    notifyAll();
    return out;
  }

  /** Busy environments retired by {@link #retire} whose invocation has not ended yet. */
  public synchronized int retiring() {
    return (int) busy.values().stream().filter(born -> born < generation).count();
  }

  /** The environments alive and not initializing, busy first (for diagnostics). */
  public synchronized List<E> environments() {
    List<E> out = new ArrayList<>(busy.keySet());
    idle.forEach(entry -> out.add(entry.environment()));
    return Collections.unmodifiableList(out);
  }

  public synchronized Counts counts() {
    return new Counts(busy.size(), idle.size(), initializing ? 1 : 0, waiting, limit, started, reclaimed, throttled);
  }

  private void requireInitializing() {
    if (!initializing) {
      throw new IllegalStateException("no environment of this pool is initializing");
    }
  }
}
