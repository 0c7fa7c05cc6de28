package dev.meridian.tools.local.control;

import dev.meridian.tools.local.template.CfnYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The FIS experiment templates of {@code deploy/faults.yaml}, run on the local stack. Each FIS
 * action id the templates use maps to one of the stack's own faults, so a local drill starts the
 * same experiment definitions a deployed drill starts with FIS. An experiment is named by its
 * template's {@code meridian:scenario} tag.
 */
public final class FisExperiments {
  /** Where the templates live, relative to the repository root. */
  public static final String TEMPLATE = "deploy/faults.yaml";
  static final String SCENARIO_TAG = "meridian:scenario";

  /**
   * The local stand-in of one FIS action, applied to the experiment's region. Locally the stack
   * cannot answer 503 from inside a function, so the Lambda HTTP-integration fault becomes a
   * refused API: clients and the health checks fail in both cases, which is what the drill measures.
   */
  public enum LocalFault {
    /** {@code fail REGION --mode refuse}: also pauses the region's event sources and links, as an outage does. */
    API_REFUSES("aws:lambda:invocation-http-integration-response",
        "the region's API refuses connections, health included (fail --mode refuse)") {
      @Override
      void start(StackControl control, String region, List<String> peers) {
        control.fail(region, StackControl.FailMode.REFUSE);
      }

      @Override
      void stop(StackControl control, String region, List<String> peers) {
        control.recover(region);
      }
    },
    /** FIS denies the replication role on the replica, which cuts it off from every peer at once. */
    REPLICATION_CUT("aws:dynamodb:global-table-pause-replication",
        "replication cut between the region and every peer (partition --links replication)") {
      @Override
      void start(StackControl control, String region, List<String> peers) {
        peers.forEach(peer -> control.partition(region, peer, StackControl.Links.REPLICATION));
      }

      @Override
      void stop(StackControl control, String region, List<String> peers) {
        peers.forEach(peer -> control.heal(region, peer, StackControl.Links.REPLICATION));
      }
    },
    /**
     * The faults template's one Automation disables the publisher's and reconciler's event source
     * mappings: the region neither sends changes to its peers nor takes theirs in.
     */
    EVENT_LINKS_CUT("aws:ssm:start-automation-execution",
        "event links cut between the region and every peer (partition --links events)") {
      @Override
      void start(StackControl control, String region, List<String> peers) {
        peers.forEach(peer -> control.partition(region, peer, StackControl.Links.EVENTS));
      }

      @Override
      void stop(StackControl control, String region, List<String> peers) {
        peers.forEach(peer -> control.heal(region, peer, StackControl.Links.EVENTS));
      }
    };

    private final String actionId;
    private final String local;

    LocalFault(String actionId, String local) {
      this.actionId = actionId;
      this.local = local;
    }

    public String actionId() {
      return actionId;
    }

    /** What the stack does instead, for the control API's answer and the drill's markers. */
    public String local() {
      return local;
    }

    abstract void start(StackControl control, String region, List<String> peers);

    abstract void stop(StackControl control, String region, List<String> peers);

    /** The local fault of a FIS action id; an action the stack cannot stand in for is an error, not a no-op. */
    public static LocalFault of(String actionId) {
      return Arrays.stream(values()).filter(f -> f.actionId.equals(actionId)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("the local stack has no mapping for FIS action " + actionId
              + "; it maps " + Arrays.stream(values()).map(LocalFault::actionId).toList()));
    }
  }

  /** Experiment name to its actions' ids, in the template's order. */
  private final Map<String, List<String>> actionIds;

  FisExperiments(Map<String, List<String>> actionIds) {
    this.actionIds = actionIds;
  }

  /** Reads every {@code AWS::FIS::ExperimentTemplate} of a faults template. */
  public static FisExperiments load(Path faultsTemplate) {
    return fromTemplate(CfnYaml.load(faultsTemplate), faultsTemplate.toString());
  }

  @SuppressWarnings("unchecked")
  static FisExperiments fromTemplate(Map<String, Object> template, String source) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    Map<String, Object> resources = (Map<String, Object>) template.getOrDefault("Resources", Map.of());
    resources.forEach((logicalId, raw) -> {
      Map<String, Object> resource = (Map<String, Object>) raw;
      if (!"AWS::FIS::ExperimentTemplate".equals(resource.get("Type"))) {
        return;
      }
      Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
      Map<String, Object> tags = (Map<String, Object>) properties.getOrDefault("Tags", Map.of());
      if (!(tags.get(SCENARIO_TAG) instanceof String name)) {
        throw new IllegalArgumentException(source + ": experiment template " + logicalId + " has no " + SCENARIO_TAG + " tag");
      }
      List<String> ids = new ArrayList<>();
      ((Map<String, Object>) properties.getOrDefault("Actions", Map.of())).values()
          .forEach(action -> ids.add(String.valueOf(((Map<String, Object>) action).get("ActionId"))));
      if (byName.put(name, List.copyOf(ids)) != null) {
        throw new IllegalArgumentException(source + ": two experiment templates are tagged " + SCENARIO_TAG + "=" + name);
      }
    });
    return new FisExperiments(Map.copyOf(byName));
  }

  /** The experiments' names (their {@code meridian:scenario} tags), sorted. */
  public List<String> names() {
    return actionIds.keySet().stream().sorted().toList();
  }

  public List<String> actionIds(String experiment) {
    List<String> ids = actionIds.get(experiment);
    if (ids == null) {
      throw new IllegalArgumentException("no experiment template " + experiment + " in " + TEMPLATE + "; it has " + names());
    }
    return ids;
  }

  /** The local faults of an experiment's actions, in the template's order. */
  public List<LocalFault> faults(String experiment) {
    return actionIds(experiment).stream().map(LocalFault::of).toList();
  }

  /**
   * Applies every action of {@code experiment} to {@code region}.
   *
   * @param regions every region of the stack; the others are the region's peers
   */
  public Map<String, Object> start(StackControl control, String experiment, String region, List<String> regions) {
    List<LocalFault> faults = faults(experiment);
    List<String> peers = peers(region, regions);
    faults.forEach(f -> f.start(control, region, peers));
    return answer("started", experiment, region, faults);
  }

  /** Undoes every action of {@code experiment} on {@code region}, last first, as FIS reverts at the end. */
  public Map<String, Object> stop(StackControl control, String experiment, String region, List<String> regions) {
    List<LocalFault> faults = faults(experiment);
    List<String> peers = peers(region, regions);
    faults.reversed().forEach(f -> f.stop(control, region, peers));
    return answer("stopped", experiment, region, faults);
  }

  private static List<String> peers(String region, List<String> regions) {
    if (!regions.contains(region)) {
      throw new IllegalArgumentException("unknown region " + region + "; the stack runs " + regions);
    }
    return regions.stream().filter(r -> !r.equals(region)).toList();
  }

  private static Map<String, Object> answer(String did, String experiment, String region, List<LocalFault> faults) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ok", true);
    out.put("did", did + " experiment " + experiment + " on " + region);
    out.put("actions", faults.stream().map(f -> Map.of("actionId", f.actionId(), "local", f.local())).toList());
    return out;
  }
}
