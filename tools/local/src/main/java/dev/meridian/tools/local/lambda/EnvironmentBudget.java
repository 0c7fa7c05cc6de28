package dev.meridian.tools.local.lambda;

/**
 * The stack-wide cap on execution environments alive at once, shared by every function of every
 * region. Lambda caps concurrent executions per account (1,000 by default) and keeps idle
 * environments for free; locally every environment is a JVM with a heap of up to about 1 GB, so
 * the cap here counts environments, idle ones included, to keep the machine out of swap. An
 * environment holds one unit from the moment its cold start is granted until it is stopped.
 * Thread-safe; no I/O.
 */
public final class EnvironmentBudget {
  /** {@code --max-environments}: 16 JVMs of up to ~1 GB heap each. */
  public static final int DEFAULT_MAX = 16;

  private final int max;
  private int used; // guarded by this
  private int peak; // guarded by this

  public EnvironmentBudget(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("the environment budget must allow at least one environment, not " + max);
    }
    this.max = max;
  }

  /** Takes one unit for a new environment; false when every unit is held. */
  public synchronized boolean tryAcquire() {
    if (used >= max) {
      return false;
    }
    used++;
    peak = Math.max(peak, used);
    return true;
  }

  /** Gives back the unit of an environment that stopped (or whose start failed). */
  public synchronized void release() {
    if (used == 0) {
      throw new IllegalStateException("released more environments than were granted");
    }
    used--;
  }

  public int max() {
    return max;
  }

  public synchronized int used() {
    return used;
  }

  /** The most environments alive at once so far. */
  public synchronized int peak() {
    return peak;
  }
}
