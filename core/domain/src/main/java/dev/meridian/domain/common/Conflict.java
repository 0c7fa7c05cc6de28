package dev.meridian.domain.common;

import dev.meridian.domain.clock.HlcStamp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A concurrent write that a merge resolved, kept so an operator can review it.
 *
 * <p>The two sides are stored in a canonical order (the winner first), and the id is a hash of
 * everything else, so two regions that detect the same conflict record the identical entry and
 * a grow-only set of conflicts deduplicates it.
 *
 * @param entity     {@code product} or {@code order}
 * @param key        the entity's id
 * @param field      the field or aspect in conflict, e.g. {@code price}, {@code status}
 * @param rule       the merge rule that decided, e.g. {@code last-writer-wins}
 * @param winner     the side that the merged state keeps
 * @param loser      the side that the merged state drops or overrides
 */
public record Conflict(String entity, String key, String field, String rule, Side winner, Side loser)
    implements Comparable<Conflict> {

  /** One side of a conflict: what was written, where and when. */
  public record Side(String value, String region, HlcStamp stamp) {
    public Side {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(stamp, "stamp");
    }
  }

  public Conflict {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(winner, "winner");
    Objects.requireNonNull(loser, "loser");
  }

  /** Deterministic identity: the same conflict detected in two regions has the same id. */
  public String id() {
    String canonical = String.join("\u001f", entity, key, field, rule,
        winner.value(), winner.region(), winner.stamp().encode(),
        loser.value(), loser.region(), loser.stamp().encode());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The later of the two stamps: when the conflict became observable. */
  public HlcStamp detectedAfter() {
    return winner.stamp().compareTo(loser.stamp()) >= 0 ? winner.stamp() : loser.stamp();
  }

  @Override
  public int compareTo(Conflict o) {
    return id().compareTo(o.id());
  }
}
