package dev.meridian.application.replication;

import dev.meridian.application.Page;
import dev.meridian.domain.common.Conflict;

/** The conflicts reconcilers recorded (each region's records replicate to every other). */
public interface ConflictRepository {

  /**
   * Recorded conflicts, newest first (by {@link Conflict#detectedAfter()}, then id).
   *
   * @param cursor null for the first page, else a {@code nextCursor} this repository issued
   * @throws dev.meridian.domain.common.ValidationException naming {@code cursor} when it was not issued here
   */
  Page<Conflict> list(String cursor, int limit);
}
