package dev.meridian.adapter.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapStartHooksTest {
  @Test
  void theLocalEntryPointRunsACheckpointThenARestoreInOrgCracOrder() {
    SnapStartHooks hooks = SnapStartHooks.detached();
    List<String> calls = new ArrayList<>();
    hooks.register("first", recording("first", calls));
    hooks.register("second", recording("second", calls));

    assertThat(hooks.restoreIfRequested(Map.of(SnapStartHooks.LOCAL_RESTORE_VARIABLE, "true"))).isTrue();

    assertThat(calls).containsExactly("before second", "before first", "after first", "after second");
  }

  @Test
  void withoutTheLocalRuntimesVariableNothingRuns() {
    SnapStartHooks hooks = SnapStartHooks.detached();
    List<String> calls = new ArrayList<>();
    hooks.register("only", recording("only", calls));

    assertThat(hooks.restoreIfRequested(Map.of())).isFalse();
    assertThat(hooks.restoreIfRequested(Map.of(SnapStartHooks.LOCAL_RESTORE_VARIABLE, "no"))).isFalse();
    assertThat(calls).isEmpty();
  }

  @Test
  void aFailingHookFailsTheInitPhase() {
    SnapStartHooks hooks = SnapStartHooks.detached();
    hooks.register("broken", () -> {
      throw new IllegalStateException("cannot refresh");
    });
    assertThatThrownBy(() -> hooks.restoreIfRequested(Map.of(SnapStartHooks.LOCAL_RESTORE_VARIABLE, "true")))
        .hasRootCauseMessage("cannot refresh");
  }

  @Test
  void theGlobalRegistryRegistersWithOrgCracWithoutACracJvm() {
    int before = SnapStartHooks.global().size();
    SnapStartHooks.global().register("probe", () -> { });
    assertThat(SnapStartHooks.global().size()).isEqualTo(before + 1);
  }

  private static SnapStartHooks.Hook recording(String name, List<String> calls) {
    return new SnapStartHooks.Hook() {
      @Override
      public void afterRestore() {
        calls.add("after " + name);
      }

      @Override
      public void beforeCheckpoint() {
        calls.add("before " + name);
      }
    };
  }
}
