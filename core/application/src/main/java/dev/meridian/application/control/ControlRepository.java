package dev.meridian.application.control;

import dev.meridian.application.Versioned;
import java.util.Optional;
import java.util.OptionalLong;

/** The control item in this region's replica of the global table. */
public interface ControlRepository {

  /** The stored control item, or empty when none has been written yet. */
  Optional<Versioned<ControlState>> find();

  /**
   * Writes the control item when its stored version equals {@code expectedVersion}
   * ({@code 0} = only if absent).
   *
   * @return the new version, or empty when another write came first (nothing written)
   */
  OptionalLong save(ControlState state, long expectedVersion);
}
