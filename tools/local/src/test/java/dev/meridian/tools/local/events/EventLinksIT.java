package dev.meridian.tools.local.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.testkit.Polling;
import dev.meridian.testkit.emulator.MotoExtension;
import dev.meridian.testkit.emulator.MotoServer;
import dev.meridian.tools.local.replication.RegionLatency;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Cross-region event forwarding through a partitionable link, against moto's EventBridge and SQS. */
@ExtendWith(MotoExtension.class)
class EventLinksIT {
  private final List<String> log = new CopyOnWriteArrayList<>();

  @Test
  void eventsCrossOnlyWhileTheLinkIsOpen(MotoServer moto) throws Exception {
    EventBridgeClient us = moto.configure(EventBridgeClient.builder(), "us-east-1").build();
    EventBridgeClient eu = moto.configure(EventBridgeClient.builder(), "eu-west-1").build();
    SqsClient euSqs = moto.configure(SqsClient.builder(), "eu-west-1").build();
    us.createEventBus(b -> b.name("meridian"));
    eu.createEventBus(b -> b.name("meridian"));
    us.putRule(b -> b.name("forward").eventBusName("meridian")
        .eventPattern("{\"source\":[\"meridian\"],\"detail\":{\"originRegion\":[\"us-east-1\"]}}"));
    // What arrives in eu-west-1 is caught by a rule into an inbox queue, as the reconcile rule will.
    String inbox = euSqs.createQueue(b -> b.queueName("inbox")).queueUrl();
    String inboxArn = euSqs.getQueueAttributes(b -> b.queueUrl(inbox).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    eu.putRule(b -> b.name("inbox").eventBusName("meridian").eventPattern("{\"source\":[\"meridian\"]}"));
    eu.putTargets(b -> b.rule("inbox").eventBusName("meridian").targets(Target.builder().id("inbox").arn(inboxArn).build()));

    try (EventLinks links = new EventLinks(moto.endpoint(),
        List.of(new EventLinks.ForwardingTarget("us-east-1", "forward", "meridian", "peer-eu-west-1", "eu-west-1", "meridian")),
        RegionLatency.defaults(), Duration.ZERO, log::add)) {
      links.start();
      put(us, "e-1");
      Message first = receive(euSqs, inbox, 10_000);
      assertThat(first).as("forwarded event; log " + log).isNotNull();
      assertThat(detail(first).path("eventId").asText()).isEqualTo("e-1");
      assertThat(detail(first).path("originRegion").asText()).isEqualTo("us-east-1");
      // EventBridge delivers the whole envelope; the reconciler refuses an event without this deployment's account.
      assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(first.body()).path("account").asText())
          .as("the envelope's account").isEqualTo("123456789012");

      links.partition("us-east-1", "eu-west-1");
      put(us, "e-2");
      assertThat(receive(euSqs, inbox, 2_000)).as("nothing crosses a partition").isNull();
      assertThat(links.status()).singleElement().satisfies(s -> assertThat(s.queued()).isEqualTo(1));

      links.heal("us-east-1", "eu-west-1");
      Message second = receive(euSqs, inbox, 10_000);
      assertThat(second).isNotNull();
      assertThat(detail(second).path("eventId").asText()).isEqualTo("e-2");
      // The link counts a forward once EventBridge has answered it, which may be after the inbox has the message.
      Polling.until(Duration.ofSeconds(5), Duration.ofMillis(50), "the link to count both forwards",
          () -> links.status().get(0).forwarded() == 2);
      assertThat(links.status()).singleElement().satisfies(s -> assertThat(s.forwarded()).isEqualTo(2));
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode detail(Message m) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.body()).path("detail");
  }

  private static void put(EventBridgeClient bus, String eventId) {
    bus.putEvents(b -> b.entries(PutEventsRequestEntry.builder().eventBusName("meridian").source("meridian")
        .detailType("OrderChanged").detail("{\"eventId\":\"" + eventId + "\",\"originRegion\":\"us-east-1\"}").build()));
  }

  private static Message receive(SqsClient sqs, String url, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages();
      if (!messages.isEmpty()) {
        Message m = messages.get(0);
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        return m;
      }
      Thread.sleep(100);
    }
    return null;
  }
}
