package dev.meridian.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.testkit.RepositoryRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunnabilityTest {
  private static final Path ROOT = RepositoryRoot.path();

  @Test
  void listShowsEveryScenarioOnBothTargetsWithTheReasonWhenOneCannotRunIt() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit = DrillCommand.run(ROOT, new String[] {"list"}, new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String listing = buffer.toString(StandardCharsets.UTF_8);

    assertThat(exit).isZero();
    for (String name : Scenario.available(ROOT)) {
      String entry = entry(listing, name);
      assertThat(entry).as(name).contains("local: yes").contains("aws:");
    }
    assertThat(entry(listing, "partition-and-heal")).contains("aws:   no: a pair partition cannot be expressed on AWS with three "
        + "regions");
    assertThat(entry(listing, "kill-switch-drain")).contains("aws:   yes");
    assertThat(entry(listing, "active-passive-promotion")).contains("aws:   yes");
    assertThat(entry(listing, "region-outage")).contains("experiments: region-outage (deploy/faults.yaml)")
        .contains("aws:   no: the deployed target does not start FIS experiments");
  }

  @Test
  void aDeployedTargetRefusesTheReasonNoLaterWorkCanLiftFirst() {
    Scenario both = Scenario.parse(scenario("{at: 0, do: start-experiment, experiment: region-outage, region: first}, "
        + "{at: 1, do: partition, region: first, peer: second}"), "both.yaml");

    assertThat(Runnability.whyNot(both, Runnability.Kind.AWS)).contains(Runnability.PAIR_PARTITION);
    assertThat(Runnability.whyNot(both, Runnability.Kind.LOCAL)).isEmpty();
    Scenario failsByHand = Scenario.parse(scenario("{at: 0, do: fail, region: first}"), "fails.yaml");
    assertThat(Runnability.whyNot(failsByHand, Runnability.Kind.AWS)).contains(Runnability.LOCAL_FAILURE);
    Scenario adminOnly = Scenario.parse(scenario("{at: 0, do: kill-switch, region: first, engaged: true}"), "drain.yaml");
    assertThat(Runnability.verdicts(adminOnly).values()).containsExactly("yes", "yes");
  }

  /** One scenario's block of the listing: from its name to the next scenario's. */
  private static String entry(String listing, String name) {
    List<String> lines = listing.lines().toList();
    int start = lines.indexOf(lines.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow());
    StringBuilder block = new StringBuilder();
    for (int i = start; i < lines.size() && (i == start || lines.get(i).startsWith(" ")); i++) {
      block.append(lines.get(i).strip()).append('\n');
    }
    return block.toString();
  }

  private static String scenario(String faultActions) {
    return "name: x\ndescription: d\nmodes: [active-active]\nphases:\n" + String.join("", Scenario.PHASE_NAMES.stream()
        .map(p -> "  - {name: " + p + ", seconds: 10" + (p.equals("fault") ? ", actions: [" + faultActions + "]" : "") + "}\n")
        .toList());
  }
}
