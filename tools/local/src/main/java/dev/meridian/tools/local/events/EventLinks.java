package dev.meridian.tools.local.events;

import dev.meridian.tools.local.replication.Link;
import dev.meridian.tools.local.replication.RegionLatency;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The cross-region event links of the local stack: for every forwarding rule target that names
 * another region's bus, a queue in the source region (the rule's target instead of the peer bus)
 * and an {@link EventLink} that forwards with the link's delay and obeys partitions.
 */
public final class EventLinks implements AutoCloseable {
  /** A rule target that forwards to another region's bus, as the template declares it. */
  public record ForwardingTarget(String fromRegion, String ruleName, String sourceBusName, String targetId,
      String toRegion, String targetBusName) {}

  private final List<EventLink> links = new ArrayList<>();
  private final Map<String, SqsClient> sqsClients = new HashMap<>();
  private final Map<String, EventBridgeClient> busClients = new HashMap<>();

  public EventLinks(URI endpoint, List<ForwardingTarget> targets, RegionLatency latency, Duration jitter,
      Consumer<String> log) {
    for (ForwardingTarget target : targets) {
      SqsClient sqs = sqsClients.computeIfAbsent(target.fromRegion(), r -> configure(SqsClient.builder(), endpoint, r).build());
      EventBridgeClient sourceBus = busClients.computeIfAbsent(target.fromRegion(),
          r -> configure(EventBridgeClient.builder(), endpoint, r).build());
      EventBridgeClient targetBus = busClients.computeIfAbsent(target.toRegion(),
          r -> configure(EventBridgeClient.builder(), endpoint, r).build());
      String queueName = "meridian-event-link-" + target.fromRegion() + "-to-" + target.toRegion();
      String queueUrl = sqs.createQueue(b -> b.queueName(queueName)
          .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
      String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      sourceBus.putTargets(b -> b.rule(target.ruleName()).eventBusName(target.sourceBusName())
          .targets(Target.builder().id(target.targetId()).arn(queueArn).build()));
      links.add(new EventLink(target.fromRegion(), target.toRegion(), target.targetBusName(), queueUrl, sqs, targetBus,
          latency.oneWay(target.fromRegion(), target.toRegion()), jitter, log));
    }
  }

  public void start() {
    links.forEach(EventLink::start);
  }

  public void partition(String a, String b) {
    set(a, b, Link.Pause.PARTITION, true);
  }

  public void heal(String a, String b) {
    set(a, b, Link.Pause.PARTITION, false);
  }

  public void delay(String a, String b, Duration oneWay) {
    links.stream().filter(l -> between(l, a, b)).forEach(l -> l.setDelay(oneWay));
  }

  public void fail(String region) {
    links.stream().filter(l -> l.from().equals(region) || l.to().equals(region)).forEach(l -> l.pause(Link.Pause.FAILED, true));
  }

  public void recover(String region) {
    links.stream().filter(l -> l.from().equals(region) || l.to().equals(region)).forEach(l -> l.pause(Link.Pause.FAILED, false));
  }

  public List<EventLink.Status> status() {
    return links.stream().map(EventLink::status).toList();
  }

  private void set(String a, String b, Link.Pause reason, boolean on) {
    links.stream().filter(l -> between(l, a, b)).forEach(l -> l.pause(reason, on));
  }

  private static boolean between(EventLink l, String a, String b) {
    return (l.from().equals(a) && l.to().equals(b)) || (l.from().equals(b) && l.to().equals(a));
  }

  private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B configure(
      B builder, URI endpoint, String region) {
    return builder.region(Region.of(region)).endpointOverride(endpoint)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
  }

  @Override
  public void close() {
    links.forEach(EventLink::close);
    sqsClients.values().forEach(SqsClient::close);
    busClients.values().forEach(EventBridgeClient::close);
  }
}
