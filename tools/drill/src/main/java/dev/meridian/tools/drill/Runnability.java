package dev.meridian.tools.drill;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether a scenario can run on each kind of target, and why not: what {@code list} prints and
 * what a drill refuses with before it starts any load. The order of the checks puts the reason
 * that no later work can lift first: a pair partition stays local-only for good.
 */
final class Runnability {

  /** The kinds of target a drill runs against. */
  enum Kind {
    /** The local stack: every verb has a control of its own, FIS experiments through its mapping. */
    LOCAL("local"),
    /** A deployment: the admin routes and the faults stack's FIS experiment templates. */
    AWS("aws");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  static final String PAIR_PARTITION = "a pair partition cannot be expressed on AWS with three regions: the FIS pause cuts "
      + "a replica off from every peer at once, and a region's event links are one bus and one queue for all peers "
      + "(docs/drills-on-aws.md)";
  /**
   * The AWS SDK's {@code fis} module is not served by the Maven mirror this project builds from, so
   * the deployed target has no FIS client.
   */
  static final String NO_FIS_CLIENT = "the deployed target does not start FIS experiments: the AWS SDK's fis module is not "
      + "available to this build; start the experiment by hand (docs/drills-on-aws.md)";
  static final String LOCAL_FAILURE = "fails or recovers a region through the local stack's control API; "
      + "start the region-outage experiment instead";

  private Runnability() {}

  /** Empty when {@code scenario} runs on {@code kind}, else the reason it cannot (every mode's actions count). */
  static Optional<String> whyNot(Scenario scenario, Kind kind) {
    if (kind == Kind.LOCAL) {
      return Optional.empty();
    }
    Set<String> reasons = scenario.phases().stream().flatMap(p -> p.actions().stream()).map(a -> switch (a.verb()) {
      case "partition", "heal" -> PAIR_PARTITION;
      case "fail", "recover" -> LOCAL_FAILURE;
      case "start-experiment", "stop-experiment" -> NO_FIS_CLIENT;
      default -> "";
    }).collect(Collectors.toSet());
    return Stream.of(PAIR_PARTITION, LOCAL_FAILURE, NO_FIS_CLIENT).filter(reasons::contains).findFirst();
  }

  /** Per kind of target: "yes" or "no: reason". */
  static Map<Kind, String> verdicts(Scenario scenario) {
    Map<Kind, String> verdicts = new LinkedHashMap<>();
    for (Kind kind : Kind.values()) {
      verdicts.put(kind, whyNot(scenario, kind).map(reason -> "no: " + reason).orElse("yes"));
    }
    return verdicts;
  }
}
