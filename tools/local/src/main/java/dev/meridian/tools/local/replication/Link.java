package dev.meridian.tools.local.replication;

import java.time.Duration;
import java.util.EnumSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Replication from one region to another: a queue of item versions, each delivered after the
 * link's one-way delay (plus jitter) unless the link is paused by a partition or a failed region.
 * Paused writes wait, in order, and flow when the pause lifts.
 */
public final class Link implements AutoCloseable {
  /** Why a link is not delivering. */
  public enum Pause { PARTITION, FAILED }

  /** What the control API reports per link. */
  public record Status(String from, String to, long delayMillis, Set<Pause> paused, long backlog, long applied,
      long superseded, long lastLagMillis, long oldestWaitingMillis) {}

  private record Pending(long deliverAt, long order, Replication replication) {}

  private final String from;
  private final String to;
  private final Duration jitter;
  private final ReplicaState target;
  private final Consumer<String> log;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PriorityQueue<Pending> queue = new PriorityQueue<>(
      (a, b) -> a.deliverAt != b.deliverAt ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.order, b.order));
  private final EnumSet<Pause> paused = EnumSet.noneOf(Pause.class);
  private final Thread thread;
  private volatile Duration delay;
  private volatile boolean running = true;
  private long order;
  private long applied;
  private long superseded;
  private long lastLagMillis;

  Link(String from, String to, Duration delay, Duration jitter, ReplicaState target, Consumer<String> log) {
    this.from = from;
    this.to = to;
    this.delay = delay;
    this.jitter = jitter;
    this.target = target;
    this.log = log;
    this.thread = new Thread(this::run, "replication-" + from + "->" + to);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  boolean touches(String region) {
    return from.equals(region) || to.equals(region);
  }

  void enqueue(Replication replication) {
    lock.lock();
    try {
      long deliverAt = System.currentTimeMillis() + ReplicationHub.jittered(delay.toMillis(), jitter);
      queue.add(new Pending(deliverAt, order++, replication));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void pause(Pause reason, boolean on) {
    lock.lock();
    try {
      if (on) {
        paused.add(reason);
      } else {
        paused.remove(reason);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void setDelay(Duration oneWay) {
    this.delay = oneWay;
  }

  private void run() {
    while (running) {
      Pending next;
      lock.lock();
      try {
        next = queue.peek();
        long now = System.currentTimeMillis();
        if (next == null || !paused.isEmpty() || next.deliverAt > now) {
          long wait = next == null || !paused.isEmpty() ? 1_000 : next.deliverAt - now;
          changed.await(Math.max(1, wait), java.util.concurrent.TimeUnit.MILLISECONDS);
          continue;
        }
        queue.poll();
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      deliver(next);
    }
  }

  private void deliver(Pending pending) {
    for (int attempt = 1; running; attempt++) {
      try {
        boolean wrote = target.apply(pending.replication());
        lock.lock();
        try {
          if (wrote) {
            applied++;
          } else {
            superseded++;
          }
          lastLagMillis = System.currentTimeMillis() - pending.replication().stamp().writtenAtMillis();
        } finally {
          lock.unlock();
        }
        return;
      } catch (SdkException e) {
        log.accept("replication " + from + "->" + to + ": apply failed (" + e.getMessage() + "), attempt " + attempt);
        try {
          Thread.sleep(Math.min(2_000, 100L * attempt));
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  public Status status() {
    lock.lock();
    try {
      long oldest = queue.stream().mapToLong(p -> p.replication().stamp().writtenAtMillis()).min()
          .orElse(System.currentTimeMillis());
      return new Status(from, to, delay.toMillis(), paused.isEmpty() ? Set.of() : EnumSet.copyOf(paused), queue.size(),
          applied, superseded, lastLagMillis, System.currentTimeMillis() - oldest);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
