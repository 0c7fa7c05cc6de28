package dev.meridian.application;

import java.util.Optional;

/**
 * Decides whether this region may accept writes now. In active-passive mode only the control
 * item's primary writes (write fencing); in active-active mode every region does.
 */
public interface WriteGate {
  /** Empty when writes are allowed, otherwise why not (for a 503 problem detail). */
  Optional<String> refusal();
}
