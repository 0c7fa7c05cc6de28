package dev.meridian.adapter.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapStartHooksTest {
  @Test
  void theLocalPublishRunsTheCheckpointHooksInOrgCracOrderThenEndsTheJvm() {
    SnapStartHooks hooks = SnapStartHooks.detached();
    List<String> calls = new ArrayList<>();
    hooks.register("first", recording("first", calls));
    hooks.register("second", recording("second", calls));

    SnapStartHooks.LocalPhase phase = hooks.endOfInit(Map.of(SnapStartHooks.LOCAL_PHASE_VARIABLE, SnapStartHooks.PUBLISH),
        status -> calls.add("exit " + status));

    assertThat(phase).isEqualTo(SnapStartHooks.LocalPhase.PUBLISHED);
    assertThat(calls).containsExactly("before second", "before first", "exit 0");
  }

  @Test
  void aLocalRestoreRunsOnlyTheRestoreHooksInRegistrationOrder() {
    SnapStartHooks hooks = SnapStartHooks.detached();
    List<String> calls = new ArrayList<>();
    hooks.register("first", recording("first", calls));
    hooks.register("second", recording("second", calls));

    SnapStartHooks.LocalPhase phase = hooks.endOfInit(Map.of(SnapStartHooks.LOCAL_PHASE_VARIABLE, SnapStartHooks.RESTORE),
        status -> calls.add("exit " + status));

    assertThat(phase).isEqualTo(SnapStartHooks.LocalPhase.RESTORED);
    assertThat(calls).containsExactly("after first", "after second");
  }

  @Test
  void withoutTheLocalRuntimesVariableNothingRuns() {
    SnapStartHooks hooks = SnapStartHooks.detached();
    List<String> calls = new ArrayList<>();
    hooks.register("only", recording("only", calls));

    assertThat(hooks.endOfInit(Map.of(), status -> calls.add("exit"))).isEqualTo(SnapStartHooks.LocalPhase.NONE);
    assertThat(calls).isEmpty();
    assertThatThrownBy(() -> hooks.endOfInit(Map.of(SnapStartHooks.LOCAL_PHASE_VARIABLE, "true"), status -> { }))
        .hasMessageContaining("must be publish or restore");
  }

  @Test
  void aFailingHookFailsTheInitPhaseAndThePublishDoesNotEnd() {
    SnapStartHooks hooks = SnapStartHooks.detached();
    List<String> calls = new ArrayList<>();
    hooks.register("broken", new SnapStartHooks.Hook() {
      @Override
      public void afterRestore() throws Exception {
        throw new java.io.IOException("cannot refresh");
      }

      @Override
      public void beforeCheckpoint() {
        throw new IllegalStateException("priming GET /products/x answered 500");
      }
    });
    assertThatThrownBy(() -> hooks.endOfInit(Map.of(SnapStartHooks.LOCAL_PHASE_VARIABLE, SnapStartHooks.RESTORE),
        status -> calls.add("exit"))).hasRootCauseMessage("cannot refresh");
    assertThatThrownBy(() -> hooks.endOfInit(Map.of(SnapStartHooks.LOCAL_PHASE_VARIABLE, SnapStartHooks.PUBLISH),
        status -> calls.add("exit"))).hasMessage("priming GET /products/x answered 500");
    assertThat(calls).isEmpty();
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
