package dev.meridian.application.replication;

import dev.meridian.application.UseCase;
import dev.meridian.domain.clock.HybridLogicalClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The publisher's use case: one change event per stream record of an entity this region wrote.
 * Replicated writes (another region's {@code originRegion}) arrive in the same stream and are
 * skipped, so an event is published once, by the region that wrote it.
 */
@UseCase
public final class PublishService {

  /**
   * What a batch did.
   *
   * @param failedPositions stream positions whose events the bus refused after retries, in
   *                        stream order; the handler reports them as batch item failures so the
   *                        stream is retried from the first of them
   */
  public record Report(int published, int skipped, List<String> failedPositions) {
    public Report {
      failedPositions = List.copyOf(failedPositions);
    }
  }

  private final HybridLogicalClock clock;
  private final ChangePublisher publisher;

  public PublishService(HybridLogicalClock clock, ChangePublisher publisher) {
    this.clock = clock;
    this.publisher = publisher;
  }

  public Report publish(List<StoredChange> changes) {
    Map<ChangeEvent, String> positions = new LinkedHashMap<>();
    int skipped = 0;
    for (StoredChange stored : changes) {
      if (!stored.originRegion().equals(clock.region())) {
        skipped++;
        continue;
      }
      ChangeEvent event = ChangeEvent.of(clock.region(), stored.version(),
          stored.change().latestStamp().orElseGet(clock::now), stored.change());
      positions.put(event, stored.position());
    }
    if (positions.isEmpty()) {
      return new Report(0, skipped, List.of());
    }
    List<ChangeEvent> refused = publisher.publish(new ArrayList<>(positions.keySet()));
    List<String> failed = refused.stream().map(positions::get).toList();
    return new Report(positions.size() - refused.size(), skipped, failed);
  }
}
