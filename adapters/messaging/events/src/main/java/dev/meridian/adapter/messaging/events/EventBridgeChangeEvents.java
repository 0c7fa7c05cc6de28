package dev.meridian.adapter.messaging.events;

import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.application.replication.ChangeEventReader;

/**
 * Remote change events as the reconcile queue delivers them: whole EventBridge events
 * ({@link ChangeEventJson#fromEventBridgeEvent}), refused when they claim to come from this region
 * (the queue's rule only delivers other regions' events, so one from here is a wiring fault).
 */
public final class EventBridgeChangeEvents implements ChangeEventReader {
  private final String localRegion;

  public EventBridgeChangeEvents(String localRegion) {
    this.localRegion = localRegion;
  }

  @Override
  public ChangeEvent read(String message) {
    ChangeEvent event = ChangeEventJson.fromEventBridgeEvent(message);
    if (event.originRegion().equals(localRegion)) {
      throw new MalformedEventException("event originated in this region: the queue rule should never deliver it");
    }
    return event;
  }
}
