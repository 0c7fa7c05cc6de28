package dev.meridian.tools.local.sources;

import java.time.Duration;

/** A sleep that {@link #wake()} cuts short (for pause, resume and close); never throws. */
final class Sleeper {

  private long wakeups;

  /** Sleeps up to {@code duration}; returns early on {@link #wake()} or interruption. */
  synchronized void sleep(Duration duration) {
    long generation = wakeups;
    long deadline = System.nanoTime() + duration.toNanos();
    while (generation == wakeups) {
      long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        return;
      }
      try {
        wait(remainingMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  synchronized void wake() {
    wakeups++;
    notifyAll();
  }
}
