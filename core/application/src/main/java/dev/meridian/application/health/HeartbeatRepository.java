package dev.meridian.application.health;

import java.util.List;

/**
 * Heartbeat items ({@code HEARTBEAT/<region>}) in this region's replica of the global table.
 * Implementations throw {@link dev.meridian.application.StoreUnavailableException} when the store cannot
 * answer, never an SDK exception.
 */
public interface HeartbeatRepository {

  /**
   * Writes {@code heartbeat} as its region's item unless a later one is already stored (a delayed
   * invocation never moves a heartbeat back in time).
   *
   * @return whether it was written
   */
  boolean save(Heartbeat heartbeat);

  /** Every region's heartbeat as this replica has it (peers' items arrive by replication). */
  List<Heartbeat> findAll();
}
