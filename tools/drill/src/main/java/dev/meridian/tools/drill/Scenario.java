package dev.meridian.tools.drill;

import dev.meridian.tools.local.control.FisExperiments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * A drill scenario, read from {@code tools/drill/scenarios/<name>.yaml}: the phases warm-up, steady,
 * fault, recovery, drain and convergence-wait in that order, each with a length and the fault
 * actions to run at offsets into it, plus optional workload overrides.
 *
 * @param modes the deployment modes the scenario makes sense in
 * @param sale  how the drill stocks and sells its scarce product ({@code sale:} in the file)
 */
public record Scenario(String name, String description, List<String> modes, List<Phase> phases,
    Map<String, Object> workload, Sale sale) {

  static final List<String> PHASE_NAMES = List.of("warm-up", "steady", "fault", "recovery", "drain", "convergence-wait");
  static final List<String> VERBS = List.of("fail", "recover", "partition", "heal", "kill-switch", "promote",
      "start-experiment", "stop-experiment");
  /** The verbs only the local stack's control API performs: no deployed target can. */
  static final List<String> LOCAL_ONLY_VERBS = List.of("fail", "recover", "partition", "heal");

  /**
   * One phase. {@code scaled} lengths and offsets are multiplied by the stack's time factor, as the
   * health-check interval, DNS TTL and pending-stock timeout are.
   */
  public record Phase(String name, double seconds, boolean scaled, List<Action> actions) {
    long millis(double timeFactor) {
      return Math.round(seconds * (scaled ? timeFactor : 1) * 1000);
    }
  }

  /**
   * One fault action.
   *
   * @param region   {@code first}, {@code second}, {@code third} (the stack's region order, the home
   *                 region first), {@code primary} or {@code standby} (active-passive, as the control
   *                 item names them when the drill starts), or a region name
   * @param peer     the other end of a partition or heal
   * @param failMode {@code refuse} or {@code blackhole} for {@code fail}
   * @param links    {@code all}, {@code replication} or {@code events} for a partition or heal
   * @param engaged  for {@code kill-switch}
   * @param experiment for {@code start-experiment} and {@code stop-experiment}: an FIS experiment
   *                 template of {@code deploy/faults.yaml}, by its {@code meridian:scenario} tag
   * @param modes    the modes this action runs in (empty: every mode)
   */
  public record Action(double at, String verb, String region, String peer, String failMode, String links,
      Boolean engaged, String experiment, List<String> modes) {
    long offsetMillis(Phase phase, double timeFactor) {
      return Math.round(at * (phase.scaled() ? timeFactor : 1) * 1000);
    }

    boolean runsIn(String mode) {
      return modes.isEmpty() || modes.contains(mode);
    }

    String describe() {
      return switch (verb) {
        case "fail" -> "fail " + region + " (" + failMode + ")";
        case "partition", "heal" -> verb + " " + region + " | " + peer + " (" + links + ")";
        case "kill-switch" -> "kill switch " + region + (engaged ? " engaged" : " released");
        case "start-experiment", "stop-experiment" -> verb.substring(0, verb.indexOf('-')) + " experiment " + experiment
            + " on " + region;
        default -> verb + " " + region;
      };
    }
  }

  /**
   * The scarce product every drill sells out: its shards in each writable region, the units it is
   * stocked with there, and the share of the customers' picks that go to it (the other three
   * products share the rest equally). A flash sale is a high share over several shards.
   */
  public record Sale(int shards, long unitsPerRegion, double share) {
    /** What a scenario without {@code sale:} gets: 3 units on one shard, one pick in ten. */
    static final Sale LAST_UNITS = new Sale(1, 3, 0.1);
    /** The most shards a product's stock may have in a region (the catalog's limit). */
    static final int MAX_SHARDS = 50;

    public Sale {
      if (shards < 1 || shards > MAX_SHARDS) {
        throw new IllegalArgumentException("sale: shards must be 1.." + MAX_SHARDS);
      }
      if (unitsPerRegion < 1) {
        throw new IllegalArgumentException("sale: unitsPerRegion must be at least 1");
      }
      if (!(share > 0 && share < 1)) {
        throw new IllegalArgumentException("sale: share must be between 0 and 1, exclusive");
      }
    }
  }

  /** The FIS experiment templates the scenario starts, in the order it first names them. */
  List<String> experiments() {
    return phases.stream().flatMap(p -> p.actions().stream()).map(Action::experiment).filter(e -> e != null)
        .distinct().toList();
  }

  Phase phase(String name) {
    return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  /** The scenarios shipped in {@code tools/drill/scenarios}. */
  static List<String> available(Path root) throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("tools/drill/scenarios"))) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
          .map(f -> f.substring(0, f.length() - ".yaml".length())).sorted().toList();
    }
  }

  static Scenario load(Path root, String name) throws IOException {
    Path file = root.resolve("tools/drill/scenarios").resolve(name + ".yaml");
    if (!name.matches("[a-z0-9-]+") || !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no scenario '" + name + "'; choose from " + available(root));
    }
    Scenario scenario = parse(Files.readString(file), file.toString());
    requireTemplates(scenario, FisExperiments.load(root.resolve(FisExperiments.TEMPLATE)).names(), file.toString());
    return scenario;
  }

  /** A scenario may name only experiments the faults template defines: both targets start those. */
  static void requireTemplates(Scenario scenario, List<String> templates, String source) {
    for (String experiment : scenario.experiments()) {
      if (!templates.contains(experiment)) {
        throw new IllegalArgumentException(source + ": experiment " + experiment + " is not a template of "
            + FisExperiments.TEMPLATE + " " + templates);
      }
    }
  }

  /** Parses and validates a scenario; every mistake names the file and the field. */
  @SuppressWarnings("unchecked")
  static Scenario parse(String yaml, String source) {
    Object loaded = new Yaml().load(yaml);
    if (!(loaded instanceof Map<?, ?> doc)) {
      throw new IllegalArgumentException(source + ": not a YAML mapping");
    }
    String name = string(doc, "name", source);
    String description = string(doc, "description", source);
    List<String> modes = (List<String>) doc.get("modes");
    if (modes == null || modes.isEmpty() || !List.of("active-active", "active-passive").containsAll(modes)) {
      throw new IllegalArgumentException(source + ": modes must list active-active and/or active-passive");
    }
    Object rawPhases = doc.get("phases");
    if (!(rawPhases instanceof List<?> list)) {
      throw new IllegalArgumentException(source + ": phases must be a list");
    }
    List<Phase> phases = new ArrayList<>();
    for (Object raw : list) {
      Map<String, Object> p = (Map<String, Object>) raw;
      String phaseName = string(p, "name", source);
      double seconds = number(p, "seconds", source + " phase " + phaseName);
      if (seconds <= 0) {
        throw new IllegalArgumentException(source + ": phase " + phaseName + " must last more than 0 s");
      }
      boolean scaled = Boolean.TRUE.equals(p.get("scaled"));
      List<Action> actions = new ArrayList<>();
      for (Object a : (List<Object>) p.getOrDefault("actions", List.of())) {
        actions.add(action((Map<String, Object>) a, source + " phase " + phaseName, seconds));
      }
      phases.add(new Phase(phaseName, seconds, scaled, List.copyOf(actions)));
    }
    List<String> names = phases.stream().map(Phase::name).toList();
    if (!names.equals(PHASE_NAMES)) {
      throw new IllegalArgumentException(source + ": phases must be " + PHASE_NAMES + " in that order, not " + names);
    }
    for (String quiet : List.of("warm-up", "steady", "drain", "convergence-wait")) {
      if (!phases.get(names.indexOf(quiet)).actions().isEmpty()) {
        throw new IllegalArgumentException(source + ": only the fault and recovery phases take actions (" + quiet + " has some)");
      }
    }
    Map<String, Object> workload = doc.get("workload") == null ? Map.of() : (Map<String, Object>) doc.get("workload");
    return new Scenario(name, description, List.copyOf(modes), List.copyOf(phases), Map.copyOf(workload),
        sale(doc.get("sale"), source));
  }

  private static Sale sale(Object raw, String source) {
    if (raw == null) {
      return Sale.LAST_UNITS;
    }
    if (!(raw instanceof Map<?, ?> sale)) {
      throw new IllegalArgumentException(source + ": sale must be a mapping of shards, unitsPerRegion and share");
    }
    try {
      return new Sale((int) number(sale, "shards", source + " sale"), (long) number(sale, "unitsPerRegion", source + " sale"),
          number(sale, "share", source + " sale"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static Action action(Map<String, Object> a, String where, double phaseSeconds) {
    String verb = string(a, "do", where);
    if (!VERBS.contains(verb)) {
      throw new IllegalArgumentException(where + ": unknown action '" + verb + "'; use one of " + VERBS);
    }
    double at = number(a, "at", where + " action " + verb);
    if (at < 0 || at >= phaseSeconds) {
      throw new IllegalArgumentException(where + ": action " + verb + " at " + at + " s is outside the phase");
    }
    String region = string(a, "region", where + " action " + verb);
    String peer = null;
    String links = null;
    if (verb.equals("partition") || verb.equals("heal")) {
      peer = string(a, "peer", where + " action " + verb);
      links = String.valueOf(a.getOrDefault("links", "all"));
      if (!List.of("all", "replication", "events").contains(links)) {
        throw new IllegalArgumentException(where + ": links must be all, replication or events");
      }
    }
    String failMode = null;
    if (verb.equals("fail")) {
      failMode = String.valueOf(a.getOrDefault("failMode", "refuse"));
      if (!List.of("refuse", "blackhole").contains(failMode)) {
        throw new IllegalArgumentException(where + ": failMode must be refuse or blackhole");
      }
    }
    Boolean engaged = null;
    if (verb.equals("kill-switch")) {
      if (!(a.get("engaged") instanceof Boolean b)) {
        throw new IllegalArgumentException(where + ": kill-switch needs engaged: true|false");
      }
      engaged = b;
    }
    String experiment = null;
    if (verb.endsWith("-experiment")) {
      experiment = string(a, "experiment", where + " action " + verb);
    }
    @SuppressWarnings("unchecked")
    List<String> modes = (List<String>) a.getOrDefault("modes", List.of());
    return new Action(at, verb, region, peer, failMode, links, engaged, experiment, List.copyOf(modes));
  }

  private static String string(Map<?, ?> map, String key, String where) {
    Object value = map.get(key);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(where + ": '" + key + "' is required (text)");
    }
    return s.trim();
  }

  private static double number(Map<?, ?> map, String key, String where) {
    Object value = map.get(key);
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(where + ": '" + key + "' is required (a number)");
    }
    return n.doubleValue();
  }
}
