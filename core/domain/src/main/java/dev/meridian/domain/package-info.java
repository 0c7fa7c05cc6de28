/**
 * Meridian's domain: products, per-region stock allocations and orders, and the merge rules
 * that make active-active replication safe.
 *
 * <p>Everything under this package is plain Java: no AWS SDK, no Spring, no JSON library. An
 * ArchUnit rule enforces it. Replicated state is modelled as join-semilattices: every
 * {@code merge} is commutative, associative and idempotent, and deterministic (no wall clock),
 * so replicas converge whatever the order, duplication or loss of replication. The version
 * attribute used for in-region optimistic concurrency belongs to the adapters, not to merges.
 */
package dev.meridian.domain;
