package dev.meridian.adapter.messaging.eventbridge;

import dev.meridian.adapter.messaging.events.ChangeEventJson;
import dev.meridian.application.StoreUnavailableException;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.application.replication.ChangePublisher;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * {@link ChangePublisher} on EventBridge PutEvents: entries in batches of ten (the API's limit),
 * and the entries a batch refused (throttling, internal failures) put again, up to
 * {@link #ATTEMPTS} times with a doubling pause. What is still refused goes back to the caller,
 * which fails those stream records so Lambda retries them and, after its own retries, sends them
 * to the on-failure destination: no change is dropped silently.
 */
public final class EventBridgeChangePublisher implements ChangePublisher {
  static final int BATCH = 10;
  static final int ATTEMPTS = 4;
  private static final long FIRST_PAUSE_MS = 50;

  private final EventBridgeClient eventBridge;
  private final String busName;

  public EventBridgeChangePublisher(EventBridgeClient eventBridge, String busName) {
    this.eventBridge = eventBridge;
    this.busName = busName;
  }

  @Override
  public List<ChangeEvent> publish(List<ChangeEvent> events) {
    List<ChangeEvent> refused = new ArrayList<>();
    for (int from = 0; from < events.size(); from += BATCH) {
      refused.addAll(publishBatch(events.subList(from, Math.min(events.size(), from + BATCH))));
    }
    return refused;
  }

  private List<ChangeEvent> publishBatch(List<ChangeEvent> batch) {
    List<ChangeEvent> pending = batch;
    for (int attempt = 1; attempt <= ATTEMPTS && !pending.isEmpty(); attempt++) {
      if (attempt > 1) {
        pause(FIRST_PAUSE_MS << (attempt - 2));
      }
      PutEventsResponse response;
      try {
        response = eventBridge.putEvents(PutEventsRequest.builder()
            .entries(pending.stream().map(this::entry).toList()).build());
      } catch (SdkException e) {
        if (attempt == ATTEMPTS) {
          throw new StoreUnavailableException("EventBridge refused PutEvents " + ATTEMPTS + " times: " + e.getMessage(), e);
        }
        continue;
      }
      List<ChangeEvent> failed = new ArrayList<>();
      List<PutEventsResultEntry> results = response.entries();
      for (int i = 0; i < pending.size(); i++) {
        // Results are positional; an entry without an event id failed.
        if (i >= results.size() || results.get(i).eventId() == null) {
          failed.add(pending.get(i));
        }
      }
      pending = failed;
    }
    return pending;
  }

  private PutEventsRequestEntry entry(ChangeEvent event) {
    return PutEventsRequestEntry.builder()
        .eventBusName(busName)
        .source(ChangeEventJson.SOURCE)
        .detailType(ChangeEventJson.detailType(event))
        .detail(ChangeEventJson.detail(event))
        .build();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while retrying PutEvents", e);
    }
  }
}
