package dev.meridian.domain.order;

/**
 * The state of one region's reservation for an order. Only the reserving region changes it, in
 * the same transaction that changes its stock allocation, so it moves forward only:
 * {@code RESERVED → RELEASED} or {@code RESERVED → COMMITTED}. Replicas merge by maximum.
 */
public enum ReservationState {
  RESERVED,
  RELEASED,
  COMMITTED
}
