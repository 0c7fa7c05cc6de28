package dev.meridian.tools.local.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.tools.local.template.CfnYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FisExperimentsTest {
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-1");

  @Test
  @SuppressWarnings("unchecked")
  void everyActionOfTheFaultsTemplateHasALocalFault() {
    Map<String, Object> template = CfnYaml.load(RepositoryRoot.file(FisExperiments.TEMPLATE));
    Set<String> used = new LinkedHashSet<>();
    ((Map<String, Object>) template.get("Resources")).values().stream().map(r -> (Map<String, Object>) r)
        .filter(r -> "AWS::FIS::ExperimentTemplate".equals(r.get("Type")))
        .forEach(r -> ((Map<String, Object>) ((Map<String, Object>) r.get("Properties")).get("Actions")).values()
            .forEach(a -> used.add((String) ((Map<String, Object>) a).get("ActionId"))));

    assertThat(used).as("the faults template's action ids").isNotEmpty();
    for (String actionId : used) {
      assertThat(FisExperiments.LocalFault.of(actionId).actionId()).isEqualTo(actionId);
    }
    FisExperiments experiments = FisExperiments.load(RepositoryRoot.file(FisExperiments.TEMPLATE));
    assertThat(experiments.names()).containsExactly("isolate-region", "region-outage");
    experiments.names().forEach(name -> assertThat(experiments.faults(name)).hasSameSizeAs(experiments.actionIds(name)));
  }

  @Test
  void anActionWithoutALocalFaultIsRefusedByName() {
    assertThatThrownBy(() -> FisExperiments.LocalFault.of("aws:ec2:stop-instances"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aws:ec2:stop-instances");

    FisExperiments withUnknown = FisExperiments.fromTemplate(template("cpu-stress", "aws:ssm:send-command"), "t.yaml");
    assertThatThrownBy(() -> withUnknown.start(new Recording(), "cpu-stress", "us-east-1", REGIONS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aws:ssm:send-command");
  }

  @Test
  void regionOutageRefusesTheRegionsApiAndCutsItsReplicationWithEveryPeerUntilStopped() {
    FisExperiments experiments = FisExperiments.load(RepositoryRoot.file(FisExperiments.TEMPLATE));
    Recording stack = new Recording();

    experiments.start(stack, "region-outage", "us-east-1", REGIONS);
    assertThat(stack.calls).containsExactly("fail us-east-1 REFUSE", "partition us-east-1 eu-west-1 REPLICATION",
        "partition us-east-1 ap-southeast-1 REPLICATION");

    stack.calls.clear();
    experiments.stop(stack, "region-outage", "us-east-1", REGIONS);
    assertThat(stack.calls).containsExactly("heal us-east-1 eu-west-1 REPLICATION", "heal us-east-1 ap-southeast-1 REPLICATION",
        "recover us-east-1");
  }

  @Test
  void isolateRegionCutsReplicationAndEventsWithEveryPeerAndLeavesTheApiServing() {
    FisExperiments experiments = FisExperiments.load(RepositoryRoot.file(FisExperiments.TEMPLATE));
    Recording stack = new Recording();

    Map<String, Object> answer = experiments.start(stack, "isolate-region", "eu-west-1", REGIONS);
    assertThat(stack.calls).containsExactly("partition eu-west-1 us-east-1 REPLICATION",
        "partition eu-west-1 ap-southeast-1 REPLICATION", "partition eu-west-1 us-east-1 EVENTS",
        "partition eu-west-1 ap-southeast-1 EVENTS");
    assertThat(answer.get("did")).isEqualTo("started experiment isolate-region on eu-west-1");

    stack.calls.clear();
    experiments.stop(stack, "isolate-region", "eu-west-1", REGIONS);
    assertThat(stack.calls).containsExactly("heal eu-west-1 us-east-1 EVENTS", "heal eu-west-1 ap-southeast-1 EVENTS",
        "heal eu-west-1 us-east-1 REPLICATION", "heal eu-west-1 ap-southeast-1 REPLICATION");
  }

  @Test
  void anUnknownExperimentOrRegionTouchesNothing() {
    FisExperiments experiments = FisExperiments.load(RepositoryRoot.file(FisExperiments.TEMPLATE));
    Recording stack = new Recording();

    assertThatThrownBy(() -> experiments.start(stack, "az-outage", "us-east-1", REGIONS))
        .hasMessageContaining("no experiment template az-outage").hasMessageContaining("region-outage");
    assertThatThrownBy(() -> experiments.start(stack, "region-outage", "sa-east-1", REGIONS))
        .hasMessageContaining("unknown region sa-east-1");
    assertThat(stack.calls).isEmpty();
  }

  private static Map<String, Object> template(String name, String actionId) {
    return Map.of("Resources", Map.of("Experiment", Map.of("Type", "AWS::FIS::ExperimentTemplate", "Properties",
        Map.of("Tags", Map.of(FisExperiments.SCENARIO_TAG, name), "Actions", Map.of("Only", Map.of("ActionId", actionId))))));
  }

  /** Records the verbs an experiment calls, in order. */
  private static final class Recording implements StackControl {
    final List<String> calls = new ArrayList<>();

    @Override
    public void fail(String region, FailMode mode) {
      calls.add("fail " + region + " " + mode);
    }

    @Override
    public void recover(String region) {
      calls.add("recover " + region);
    }

    @Override
    public void partition(String a, String b, Links links) {
      calls.add("partition " + a + " " + b + " " + links);
    }

    @Override
    public void heal(String a, String b, Links links) {
      calls.add("heal " + a + " " + b + " " + links);
    }

    @Override
    public void delay(String a, String b, Duration oneWay) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void stallDynamoDb(String region, boolean stalled) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> recycleFunction(String region, String function) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> setFunctionTimeout(String region, String function, Integer seconds) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> killSwitch(String region, boolean engaged) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> promote(String region) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> startExperiment(String region, String experiment) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> stopExperiment(String region, String experiment) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> status() {
      throw new UnsupportedOperationException();
    }
  }
}
