package dev.meridian.tools.local.lambda;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The stack-wide cap on execution environments alive at once, shared by every function of every
 * region. Lambda caps concurrent executions per account (1,000 by default) and keeps idle
 * environments for free; locally every environment is a JVM with a heap of up to about 1 GB, so
 * the cap here counts environments, idle ones included, to keep the machine out of swap. An
 * environment holds one unit from the moment its cold start is granted until it is stopped.
 *
 * <p>Because Lambda's limit counts executions, an idle environment there never keeps another
 * function from starting one. So when the budget is spent, {@link #reclaimLeastRecentlyUsed}
 * stops the stack's least recently used idle environment, of any function of any region, to make
 * room; only when every environment is busy (or initializing) is an invocation throttled for the
 * budget. Thread-safe; no I/O.
 */
public final class EnvironmentBudget {
  /** {@code --max-environments}: 16 JVMs of up to ~1 GB heap each. */
  public static final int DEFAULT_MAX = 16;

  /** A function's environments, as far as the budget may take idle ones back. */
  public interface Reclaimable {

    /** Since when (on {@link System#nanoTime}'s scale) its least recently used idle environment has been idle; empty if none is. */
    OptionalLong oldestIdleSince();

    /** Stops its least recently used idle environment and gives its unit back; false if none was idle any more. */
    boolean reclaimOldestIdle();
  }

  private final int max;
  private final List<Reclaimable> members = new CopyOnWriteArrayList<>();
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

  /** Lets the budget take idle environments back from {@code member} when it is spent. */
  public void register(Reclaimable member) {
    members.add(member);
  }

  /**
   * Stops the least recently used idle environment among the registered members, freeing one unit.
   * Holds no lock of its own while it asks them, so a member may call {@link #release} meanwhile.
   *
   * @return false when no environment was idle
   */
  public boolean reclaimLeastRecentlyUsed() {
    for (int tries = 0; tries < 3; tries++) {
      Reclaimable oldest = null;
      long since = Long.MAX_VALUE;
      for (Reclaimable member : members) {
        OptionalLong idleSince = member.oldestIdleSince();
        if (idleSince.isPresent() && (oldest == null || idleSince.getAsLong() - since < 0)) {
          oldest = member;
          since = idleSince.getAsLong();
        }
      }
      if (oldest == null) {
        return false;
      }
      if (oldest.reclaimOldestIdle()) {
        return true;
      }
      // It was taken by an invocation meanwhile: look again.
    }
    return false;
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
