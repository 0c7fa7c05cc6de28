package dev.meridian.adapter.dynamodb;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Exponential back-off: the ceiling for the n-th attempt in a row is {@code initial · 2^(n-1)},
 * capped at {@code max}.
 *
 * <ul>
 *   <li>{@link #pause(int)} sleeps a full-jitter delay (uniform up to the ceiling): what retries of
 *       transactions cancelled by contention use, so that writers that collided do not collide again.
 *       The jitter comes from this instance's own generator (never {@code ThreadLocalRandom}, which
 *       cannot be reseeded), which {@link #afterRestore} replaces from {@link SecureRandom}: every
 *       execution environment restored from one SnapStart snapshot would otherwise draw the same
 *       sequence and retry in step. The bootstrap registers {@code afterRestore} with the Lambda
 *       adapter's SnapStart hook registry.</li>
 *   <li>{@link #next()} / {@link #reset()}: the ceilings in turn, without jitter, for a poller that
 *       backs off while idle or failing and starts over on progress (the local stack's event sources).</li>
 * </ul>
 */
public final class Backoff {
  /** DynamoDB transaction retries: 10 ms doubling up to 640 ms. */
  public static final Duration TRANSACTION_INITIAL = Duration.ofMillis(10);
  public static final Duration TRANSACTION_MAX = Duration.ofMillis(640);

  private final long initialMillis;
  private final long maxMillis;
  private SplittableRandom jitter;
  private long currentMillis;

  /** Transaction retries' back-off, its jitter seeded with {@code seed}. */
  public static Backoff transactions(long seed) {
    return new Backoff(TRANSACTION_INITIAL, TRANSACTION_MAX, seed);
  }

  public Backoff(Duration initial, Duration max, long seed) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.jitter = new SplittableRandom(seed);
  }

  /** The largest delay of the {@code attempt}-th attempt in a row (1 for the first). */
  public Duration ceiling(int attempt) {
    long ceiling = initialMillis;
    for (int i = 1; i < attempt && ceiling < maxMillis; i++) {
      ceiling *= 2;
    }
    return Duration.ofMillis(Math.min(ceiling, maxMillis));
  }

  /** A full-jitter delay for the {@code attempt}-th attempt: uniform in [1 ms, {@link #ceiling}]. */
  public synchronized Duration jittered(int attempt) {
    return Duration.ofMillis(jitter.nextLong(1, ceiling(attempt).toMillis() + 1));
  }

  /** Sleeps {@link #jittered}; an interrupt ends the sleep and stays set. */
  public void pause(int attempt) {
    try {
      Thread.sleep(jittered(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Replaces the jitter generator with one seeded by {@code seed}. */
  public synchronized void reseed(long seed) {
    this.jitter = new SplittableRandom(seed);
  }

  /**
   * The SnapStart restore hook: reseeds the jitter from {@link SecureRandom}, which draws on the
   * restored environment's own entropy (Lambda documents SecureRandom as restore-safe), so no two
   * environments restored from one snapshot share a sequence.
   */
  public void afterRestore() {
    reseed(new SecureRandom().nextLong());
  }

  /** The next ceiling in turn: {@code initial} after a reset, then twice the previous, capped at max. */
  public synchronized Duration next() {
    currentMillis = currentMillis == 0 ? initialMillis : Math.min(currentMillis * 2, maxMillis);
    return Duration.ofMillis(currentMillis);
  }

  public synchronized void reset() {
    currentMillis = 0;
  }

  /** The last delay {@link #next()} handed out since the last reset, or zero. */
  public synchronized Duration current() {
    return Duration.ofMillis(currentMillis);
  }
}
