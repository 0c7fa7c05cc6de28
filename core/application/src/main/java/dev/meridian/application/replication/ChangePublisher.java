package dev.meridian.application.replication;

import java.util.List;

/** Puts change events on this region's event bus. */
public interface ChangePublisher {

  /**
   * Publishes every event, retrying throttled and failed entries itself.
   *
   * @return the events the bus still refused after the retries, in the order given (empty when
   *     every event was accepted); never throws for a refused entry
   * @throws dev.meridian.application.StoreUnavailableException when the bus cannot be reached at all
   */
  List<ChangeEvent> publish(List<ChangeEvent> events);
}
