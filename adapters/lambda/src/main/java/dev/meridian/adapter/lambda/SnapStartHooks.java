package dev.meridian.adapter.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one registry of SnapStart runtime hooks in a function's JVM: what must be refreshed when an
 * execution environment is restored from a snapshot (a jitter generator seeded before the
 * snapshot would make every restored environment retry in step; anything time- or identity-bound
 * likewise).
 *
 * <p>On AWS each hook is registered with {@code org.crac}'s global context, and Lambda's CRaC
 * runtime calls {@code beforeCheckpoint} (in reverse order of registration) before it takes the
 * snapshot and {@code afterRestore} (in order) in every restored environment. Without a CRaC JVM,
 * {@code org.crac} never calls them, so the local runtime calls the same hooks through
 * {@link #restoreIfRequested}: a function's handler calls it at the end of its init phase, and it
 * runs the hooks when the environment sets {@value #LOCAL_RESTORE_VARIABLE}{@code =true} (the
 * local stack does, for every function it launches).
 *
 * <p>org.crac keeps weak references to its resources; this registry holds the strong ones, so a
 * hook lives as long as the JVM.
 */
public final class SnapStartHooks {
  /** Set to {@code true} by the local runtime: run the hooks as a restore would. */
  public static final String LOCAL_RESTORE_VARIABLE = "MERIDIAN_LOCAL_SNAPSTART_RESTORE";

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
   * The local runtime's entry point: when {@code environment} sets {@value #LOCAL_RESTORE_VARIABLE}
   * to {@code true}, runs a checkpoint and a restore over the hooks (what SnapStart does between
   * the init phase and the first invocation); otherwise nothing. A failing hook fails the init
   * phase, as it would fail a restore on AWS.
   *
   * @return whether the hooks ran
   */
  public boolean restoreIfRequested(Map<String, String> environment) {
    if (!"true".equalsIgnoreCase(environment.getOrDefault(LOCAL_RESTORE_VARIABLE, ""))) {
      return false;
    }
    try {
      runBeforeCheckpoint();
      runAfterRestore();
    } catch (Exception e) {
      throw new IllegalStateException("a SnapStart hook failed on the local restore", e);
    }
    LOG.info("SnapStart hooks run as after a restore (local runtime): {}", names());
    return true;
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
