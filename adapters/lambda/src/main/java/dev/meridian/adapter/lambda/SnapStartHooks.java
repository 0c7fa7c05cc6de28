package dev.meridian.adapter.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one registry of SnapStart runtime hooks in a function's JVM: what runs before the snapshot
 * (priming: representative requests through the real handler, so that the snapshot holds loaded
 * classes and warmed code) and what must be refreshed when an execution environment is restored
 * from it (a jitter generator seeded before the snapshot would make every restored environment
 * retry in step; anything time- or identity-bound likewise).
 *
 * <p>On AWS each hook is registered with {@code org.crac}'s global context, and Lambda's CRaC
 * runtime calls {@code beforeCheckpoint} (in reverse order of registration) when it publishes a
 * version, before it takes the snapshot, and {@code afterRestore} (in order) in every restored
 * environment. Without a CRaC JVM, {@code org.crac} never calls them, so the local runtime calls
 * the same hooks through {@link #endOfInit}, which a function's handler calls at the end of its
 * init phase. {@value #LOCAL_PHASE_VARIABLE} says which phase the local runtime is in: {@code
 * publish} in its training run (the local stand-in for publishing a version: the checkpoint hooks
 * run, then the JVM exits and writes its ahead-of-time cache), {@code restore} in every later
 * environment (the restore hooks run).
 *
 * <p>org.crac keeps weak references to its resources; this registry holds the strong ones, so a
 * hook lives as long as the JVM.
 */
public final class SnapStartHooks {
  /** Set by the local runtime to {@value #PUBLISH} or {@value #RESTORE}; unset on AWS. */
  public static final String LOCAL_PHASE_VARIABLE = "MERIDIAN_LOCAL_SNAPSTART";
  /** The local training run: checkpoint hooks, then exit (see {@link #endOfInit}). */
  public static final String PUBLISH = "publish";
  /** An environment started after the training run: restore hooks. */
  public static final String RESTORE = "restore";

  /** What {@link #endOfInit} did. */
  public enum LocalPhase { NONE, PUBLISHED, RESTORED }

  private static final Logger LOG = LoggerFactory.getLogger(SnapStartHooks.class);
  private static final SnapStartHooks GLOBAL = new SnapStartHooks(true);

  /** A hook: {@link #afterRestore} is what most need; {@link #beforeCheckpoint} may release what cannot be frozen. */
  @FunctionalInterface
  public interface Hook {
    void afterRestore() throws Exception;

    default void beforeCheckpoint() throws Exception {}
  }

  private final boolean registerWithCrac;
  private final List<Registered> hooks = new ArrayList<>();

  private SnapStartHooks(boolean registerWithCrac) {
    this.registerWithCrac = registerWithCrac;
  }

  /** The JVM's registry, the one whose hooks org.crac calls. */
  public static SnapStartHooks global() {
    return GLOBAL;
  }

  /** A registry of its own that org.crac does not know (tests). */
  public static SnapStartHooks detached() {
    return new SnapStartHooks(false);
  }

  /** Registers {@code hook} under {@code name} (for the logs). */
  public synchronized void register(String name, Hook hook) {
    Registered registered = new Registered(Objects.requireNonNull(name, "name"), Objects.requireNonNull(hook, "hook"));
    hooks.add(registered);
    if (registerWithCrac) {
      Core.getGlobalContext().register(registered);
    }
  }

  /** How many hooks are registered. */
  public synchronized int size() {
    return hooks.size();
  }

  /** Runs every hook's {@code beforeCheckpoint}, last registered first, as org.crac does. */
  public void runBeforeCheckpoint() throws Exception {
    List<Registered> snapshot = snapshot();
    for (int i = snapshot.size() - 1; i >= 0; i--) {
      snapshot.get(i).hook.beforeCheckpoint();
    }
  }

  /** Runs every hook's {@code afterRestore}, in registration order, as org.crac does. */
  public void runAfterRestore() throws Exception {
    for (Registered registered : snapshot()) {
      registered.hook.afterRestore();
    }
  }

  /**
   * The local runtime's entry point, called by a handler at the end of its init phase; a no-op on
   * AWS. With {@value #LOCAL_PHASE_VARIABLE}{@code =}{@value #PUBLISH}: runs every checkpoint hook
   * (priming) and ends the JVM, as Lambda ends the init it snapshots; with {@value #RESTORE}: runs
   * every restore hook. A failing hook fails the init phase, as it would fail a publish or a
   * restore on AWS.
   */
  public LocalPhase endOfInit(Map<String, String> environment) {
    return endOfInit(environment, Runtime.getRuntime()::exit);
  }

  LocalPhase endOfInit(Map<String, String> environment, IntConsumer exit) {
    String phase = environment.getOrDefault(LOCAL_PHASE_VARIABLE, "");
    try {
      switch (phase) {
        case PUBLISH -> {
          long started = System.nanoTime();
          runBeforeCheckpoint();
          LOG.info("SnapStart checkpoint hooks run for the local publish in {} ms: {}",
              (System.nanoTime() - started) / 1_000_000, names());
          exit.accept(0);
          return LocalPhase.PUBLISHED;
        }
        case RESTORE -> {
          runAfterRestore();
          LOG.info("SnapStart restore hooks run (local runtime): {}", names());
          return LocalPhase.RESTORED;
        }
        case "" -> {
          return LocalPhase.NONE;
        }
        default -> throw new IllegalArgumentException(LOCAL_PHASE_VARIABLE + " must be " + PUBLISH + " or " + RESTORE
            + ", not " + phase);
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("a SnapStart hook failed in the local " + phase, e);
    }
  }

  private synchronized List<Registered> snapshot() {
    return List.copyOf(hooks);
  }

  private synchronized List<String> names() {
    return hooks.stream().map(h -> h.name).toList();
  }

  /** A hook as org.crac sees it. */
  private static final class Registered implements Resource {
    private final String name;
    private final Hook hook;

    Registered(String name, Hook hook) {
      this.name = name;
      this.hook = hook;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws Exception {
      hook.beforeCheckpoint();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws Exception {
      hook.afterRestore();
      LOG.info("SnapStart hook {} ran after restore", name);
    }
  }
}
