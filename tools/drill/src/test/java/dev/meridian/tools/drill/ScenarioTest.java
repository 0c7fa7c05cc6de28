package dev.meridian.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.testkit.RepositoryRoot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTest {
  private static final Path ROOT = RepositoryRoot.path();

  @Test
  void theShippedScenariosParseWithTheirPhasesInOrder() throws Exception {
    assertThat(Scenario.available(ROOT)).containsExactly("active-passive-promotion", "flash-sale", "kill-switch-drain",
        "partition-and-heal", "region-isolation", "region-outage");
    for (String name : Scenario.available(ROOT)) {
      Scenario s = Scenario.load(ROOT, name);
      assertThat(s.name()).isEqualTo(name);
      assertThat(s.phases()).extracting(Scenario.Phase::name).isEqualTo(Scenario.PHASE_NAMES);
      assertThat(s.phase("fault").actions()).as(name + " injects a fault").isNotEmpty();
    }
  }

  @Test
  void regionOutagesFaultsComeFromTheExperimentTemplateItStartsAndStops() throws Exception {
    for (String name : List.of("region-outage", "flash-sale")) {
      Scenario s = Scenario.load(ROOT, name);
      assertThat(s.experiments()).as(name).containsExactly("region-outage");
      Scenario.Action start = s.phase("fault").actions().get(0);
      Scenario.Action stop = s.phase("recovery").actions().get(0);
      assertThat(List.of(start.verb(), start.region(), stop.verb(), stop.region()))
          .containsExactly("start-experiment", "first", "stop-experiment", "first");
      assertThat(start.describe()).isEqualTo("start experiment region-outage on first");
    }
  }

  @Test
  void regionIsolationIsolatesTheFirstRegionThroughTheIsolateRegionTemplate() throws Exception {
    Scenario s = Scenario.load(ROOT, "region-isolation");
    assertThat(s.experiments()).containsExactly("isolate-region");
    assertThat(s.phase("fault").actions()).extracting(Scenario.Action::describe)
        .containsExactly("start experiment isolate-region on first");
    assertThat(s.phase("recovery").actions()).extracting(Scenario.Action::describe)
        .containsExactly("stop experiment isolate-region on first");
    assertThat(s.workload()).containsEntry("crossRegionReplay", 0.3);
  }

  @Test
  void anExperimentThatIsNotATemplateOfTheFaultsStackIsRefusedNamingTheFile() {
    Scenario azOutage = Scenario.parse(withFault("name: az-outage", "{at: 0, do: start-experiment, experiment: az-outage, region: first}"),
        "az-outage.yaml");
    assertThatThrownBy(() -> Scenario.requireTemplates(azOutage, List.of("isolate-region", "region-outage"), "az-outage.yaml"))
        .hasMessageContaining("az-outage.yaml").hasMessageContaining("experiment az-outage is not a template of deploy/faults.yaml");
    assertThatThrownBy(() -> Scenario.parse(withFault("name: x", "{at: 0, do: start-experiment, region: first}"), "x.yaml"))
        .hasMessageContaining("'experiment' is required");
  }

  private static String withFault(String name, String action) {
    return name + "\ndescription: d\nmodes: [active-active]\nphases:\n" + String.join("", Scenario.PHASE_NAMES.stream()
        .map(p -> "  - {name: " + p + ", seconds: 10" + (p.equals("fault") ? ", actions: [" + action + "]" : "") + "}\n").toList());
  }

  @Test
  void scaledPhasesAndOffsetsFollowTheTimeFactor() throws Exception {
    Scenario s = Scenario.load(ROOT, "region-outage");
    Scenario.Phase fault = s.phase("fault");
    assertThat(fault.millis(0.1)).isEqualTo(20_000);
    assertThat(s.phase("steady").millis(0.1)).as("unscaled").isEqualTo(10_000);
    Scenario.Action promote = fault.actions().get(1);
    assertThat(promote.runsIn("active-passive")).isTrue();
    assertThat(promote.runsIn("active-active")).isFalse();
    assertThat(promote.offsetMillis(fault, 0.1)).isEqualTo(6_000);
  }

  @Test
  void theFlashSaleSellsOneShardedProductToMostCustomersWhileTheHomeRegionFails() throws Exception {
    Scenario sale = Scenario.load(ROOT, "flash-sale");
    assertThat(sale.sale()).isEqualTo(new Scenario.Sale(4, 40, 0.8));
    assertThat(sale.phase("fault").actions()).extracting(Scenario.Action::experiment).contains("region-outage");
    assertThat(Scenario.load(ROOT, "region-outage").sale()).as("without sale: the last-units default")
        .isEqualTo(Scenario.Sale.LAST_UNITS);
  }

  @Test
  void aSaleOutsideTheCatalogsLimitsIsRefusedNamingTheFile() {
    String phases = "phases:\n" + String.join("", List.of("warm-up", "steady", "fault", "recovery", "drain", "convergence-wait")
        .stream().map(p -> "  - {name: " + p + ", seconds: 5}\n").toList());
    assertThatThrownBy(() -> Scenario.parse("name: x\ndescription: d\nmodes: [active-active]\nsale: {shards: 51, "
        + "unitsPerRegion: 5, share: 0.5}\n" + phases, "x.yaml")).hasMessageContaining("x.yaml").hasMessageContaining("shards");
    assertThatThrownBy(() -> Scenario.parse("name: x\ndescription: d\nmodes: [active-active]\nsale: {shards: 2, "
        + "unitsPerRegion: 5, share: 1}\n" + phases, "x.yaml")).hasMessageContaining("share");
  }

  @Test
  void mistakesNameTheFileAndTheField() {
    String phases = "phases:\n" + String.join("", List.of("warm-up", "steady", "fault", "recovery", "drain", "convergence-wait")
        .stream().map(p -> "  - {name: " + p + ", seconds: 10}\n").toList());
    assertThatThrownBy(() -> Scenario.parse("name: x\ndescription: d\nmodes: [sideways]\n" + phases, "x.yaml"))
        .hasMessageContaining("x.yaml").hasMessageContaining("modes");
    assertThatThrownBy(() -> Scenario.parse("name: x\ndescription: d\nmodes: [active-active]\nphases:\n"
        + "  - {name: steady, seconds: 10}\n", "x.yaml")).hasMessageContaining("in that order");
    String badAction = phases.replace("{name: fault, seconds: 10}",
        "{name: fault, seconds: 10, actions: [{at: 12, do: fail, region: first}]}");
    assertThatThrownBy(() -> Scenario.parse("name: x\ndescription: d\nmodes: [active-active]\n" + badAction, "x.yaml"))
        .hasMessageContaining("outside the phase");
    String unknownVerb = phases.replace("{name: fault, seconds: 10}",
        "{name: fault, seconds: 10, actions: [{at: 1, do: explode, region: first}]}");
    assertThatThrownBy(() -> Scenario.parse("name: x\ndescription: d\nmodes: [active-active]\n" + unknownVerb, "x.yaml"))
        .hasMessageContaining("unknown action 'explode'");
  }

  @Test
  void aWorkloadPacesEachCustomerSoTheTotalRateHolds() {
    Workload w = new Workload(3, 2, List.of("virginia", "dublin"), 0.2, 0, 6, java.time.Duration.ofSeconds(10));
    assertThat(w.customers()).isEqualTo(4);
    assertThat(w.interval().toMillis()).isEqualTo(1333);
    assertThat(w.with(java.util.Map.of("crossRegionReplay", 0.3)).crossRegionReplay()).isEqualTo(0.3);
    assertThatThrownBy(() -> w.with(java.util.Map.of("speed", 2))).hasMessageContaining("unknown workload setting");
    assertThatThrownBy(() -> new Workload(0, 2, List.of("x"), 0, 0, 1, java.time.Duration.ofSeconds(1)))
        .hasMessageContaining("--rate");
  }
}
