package dev.meridian.proofs;

import dev.meridian.application.Versioned;
import dev.meridian.application.control.ControlRepository;
import dev.meridian.application.control.ControlState;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The control item as every region of a simulated active-passive history reads it: one copy, so a
 * promotion fences the old primary at once. A lost region serves no client, so the replication
 * delay of the real item would only matter to a partitioned primary, which the simulation does
 * not promote away from.
 */
final class SharedControlItem implements ControlRepository {
  private Versioned<ControlState> stored;

  @Override
  public Optional<Versioned<ControlState>> find() {
    return Optional.ofNullable(stored);
  }

  @Override
  public OptionalLong save(ControlState state, long expectedVersion) {
    long current = stored == null ? 0 : stored.version();
    if (current != expectedVersion) {
      return OptionalLong.empty();
    }
    stored = new Versioned<>(state, current + 1);
    return OptionalLong.of(current + 1);
  }
}
