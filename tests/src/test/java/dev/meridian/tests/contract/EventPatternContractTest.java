package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.tools.local.model.RuleSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.event.ruler.Machine;

/**
 * The template's EventBridge rules, with each region's intrinsics resolved from samconfig.toml by
 * the project's resolver ({@link Contract}), matched as EventBridge matches them (AWS's
 * {@code event-ruler}) against the change events of the reconciler samples in {@code events/}:
 * a region forwards exactly its own events to its peers and queues exactly its peers' events for
 * its reconciler, so a change reaches every other region's reconciler once and is never
 * forwarded back (no loop); nothing else on the bus is forwarded or queued.
 */
class EventPatternContractTest {
  static final String FORWARD = "ForwardToPeersRule";
  static final String QUEUE = "QueueRemoteChangesRule";
  static final String RECONCILE_QUEUE = "ReconcileQueue";
  static final List<String> SAMPLES = List.of("reconciler-order-changed", "reconciler-hold-changed",
      "reconciler-product-changed", "reconciler-allocation-changed");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Machine> MACHINES = new HashMap<>();

  static Stream<String> regions() {
    return Contract.deployment().regions().stream();
  }

  /** The EventBridge event in each reconciler sample's (single) SQS record, freshly parsed. */
  static List<ObjectNode> sampleEvents() {
    List<ObjectNode> events = new ArrayList<>();
    for (String name : SAMPLES) {
      try {
        JsonNode sqs = JSON.readTree(Files.readString(Contract.ROOT.resolve("events").resolve(name + ".json")));
        events.add((ObjectNode) JSON.readTree(sqs.path("Records").get(0).path("body").asText()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return events;
  }

  static ObjectNode withOrigin(ObjectNode event, String originRegion) {
    ObjectNode copy = event.deepCopy();
    ((ObjectNode) copy.get("detail")).put("originRegion", originRegion);
    return copy;
  }

  static RuleSpec rule(String region, String logicalId) {
    return Contract.model(region).rules().stream().filter(r -> r.logicalId().equals(logicalId)).findFirst()
        .orElseThrow(() -> new AssertionError(region + ": the template has no " + logicalId + " in this region"));
  }

  /** The region's two change-event rules, by logical id, as one matcher. */
  static synchronized Machine machine(String region) {
    return MACHINES.computeIfAbsent(region, r -> {
      Machine machine = new Machine();
      for (String id : List.of(FORWARD, QUEUE)) {
        RuleSpec rule = rule(r, id);
        assertThat(rule.enabled()).as(r + " " + id + " is enabled").isTrue();
        assertThat(rule.eventPatternJson()).as(r + " " + id + " has an event pattern").isNotNull();
        try {
          machine.addRule(id, rule.eventPatternJson());
        } catch (IOException e) {
          throw new AssertionError(r + " " + id + ": event-ruler cannot read the pattern " + rule.eventPatternJson(), e);
        }
      }
      return machine;
    });
  }

  static List<String> matches(String region, JsonNode event) {
    try {
      return new ArrayList<>(new TreeSet<>(machine(region).rulesForJSONEvent(event.toString())));
    } catch (Exception e) {
      throw new AssertionError("event-ruler cannot read the event " + event, e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void aRegionForwardsItsOwnEventsAndQueuesNoneOfThem(String region) {
    for (ObjectNode sample : sampleEvents()) {
      ObjectNode own = withOrigin(sample, region);
      assertThat(matches(region, own)).as("%s: a %s that originated here", region, own.path("detail-type").asText())
          .containsExactly(FORWARD);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void aRegionQueuesEveryPeersEventsAndForwardsNoneOfThem(String region) {
    List<String> peers = Contract.deployment().regions().stream().filter(r -> !r.equals(region)).toList();
    assertThat(peers).as("samconfig.toml deploys more than one region").isNotEmpty();
    for (String peer : peers) {
      for (ObjectNode sample : sampleEvents()) {
        ObjectNode remote = withOrigin(sample, peer);
        assertThat(matches(region, remote)).as("%s: a %s from %s", region, remote.path("detail-type").asText(), peer)
            .containsExactly(QUEUE);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void nothingButMeridiansChangeEventsIsForwardedOrQueued(String region) {
    List<JsonNode> others = new ArrayList<>();
    for (ObjectNode sample : sampleEvents()) {
      for (String origin : Contract.deployment().regions()) {
        for (String source : List.of("aws.events", "meridian.test", "com.example.meridian", "Meridian")) {
          ObjectNode foreign = withOrigin(sample, origin);
          foreign.put("source", source);
          others.add(foreign);
        }
      }
      ObjectNode noOrigin = sample.deepCopy();
      ((ObjectNode) noOrigin.get("detail")).remove("originRegion");
      others.add(noOrigin);
    }
    try {
      others.add(JSON.readTree(Files.readString(Contract.ROOT.resolve("events/health-heartbeat-schedule.json"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (JsonNode event : others) {
      assertThat(matches(region, event)).as("%s: source %s, originRegion %s", region, event.path("source").asText(),
          event.at("/detail/originRegion").asText("(none)")).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void forwardingTargetsEveryPeersBusAndQueuingTheReconcileQueue(String region) {
    Set<String> peers = new TreeSet<>(Contract.deployment().regions());
    peers.remove(region);
    RuleSpec forward = rule(region, FORWARD);
    assertThat(forward.targets()).allSatisfy(t -> assertThat(t.isCrossRegionBus()).as(t.id()).isTrue());
    assertThat(forward.targets().stream().map(RuleSpec.Target::busRegion).toList())
        .as(region + ": " + FORWARD + " targets each peer's bus once, never this region's")
        .containsExactlyInAnyOrderElementsOf(peers);
    String bus = forward.busName();
    assertThat(forward.targets()).allSatisfy(t -> assertThat(t.busName()).as(t.id()).isEqualTo(bus));
    RuleSpec queue = rule(region, QUEUE);
    assertThat(queue.busName()).isEqualTo(bus);
    assertThat(queue.targets()).singleElement().satisfies(t -> assertThat(t.queueLogicalId()).isEqualTo(RECONCILE_QUEUE));
  }

  /**
   * Delivery followed through every bus the rules lead to, as EventBridge would: a change
   * published in one region reaches each other region's reconcile queue exactly once, its own
   * region's never, and no bus sees it twice.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void aPublishedChangeReachesEveryOtherReconcilerOnceAndNeverLoops(String origin) {
    for (ObjectNode sample : sampleEvents()) {
      ObjectNode event = withOrigin(sample, origin);
      Map<String, Integer> busVisits = new TreeMap<>();
      Map<String, Integer> queued = new TreeMap<>();
      Deque<String> buses = new ArrayDeque<>(List.of(origin));
      int hops = 0;
      while (!buses.isEmpty()) {
        assertThat(++hops).as("deliveries of one event from " + origin + " (a forwarding loop?)").isLessThan(100);
        String region = buses.poll();
        busVisits.merge(region, 1, Integer::sum);
        for (String matched : matches(region, event)) {
          for (RuleSpec.Target target : rule(region, matched).targets()) {
            if (target.isCrossRegionBus()) {
              buses.add(target.busRegion());
            } else {
              queued.merge(region + "/" + target.queueLogicalId(), 1, Integer::sum);
            }
          }
        }
      }
      Map<String, Integer> once = new TreeMap<>();
      Contract.deployment().regions().forEach(r -> once.put(r, 1));
      assertThat(busVisits).as("each bus sees a %s from %s once", event.path("detail-type").asText(), origin)
          .isEqualTo(once);
      Map<String, Integer> expectedQueues = new TreeMap<>();
      Contract.deployment().regions().stream().filter(r -> !r.equals(origin))
          .forEach(r -> expectedQueues.put(r + "/" + RECONCILE_QUEUE, 1));
      assertThat(queued).as("reconcile queues a %s from %s reaches", event.path("detail-type").asText(), origin)
          .isEqualTo(expectedQueues);
    }
  }
}
