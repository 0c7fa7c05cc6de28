package dev.meridian.domain.product;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.Money;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A product's replicated state: every field is its own last-writer-wins register, so two
 * regions that change different fields concurrently both keep their change, and a concurrent
 * change of the same field resolves by clock stamp and is reported as a {@link Conflict}.
 *
 * <p>Merge is a join: commutative, associative, idempotent, and {@code a.contains(b)} holds
 * exactly when {@code a.merge(b).equals(a)}.
 */
public record Product(
    ProductId id,
    LwwRegister<String> name,
    LwwRegister<String> description,
    LwwRegister<Money> price,
    LwwRegister<Boolean> active) {

  public static final String ENTITY = "product";

  public Product {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(active, "active");
  }

  public static Product create(UpsertProduct command, HlcStamp stamp) {
    return new Product(
        command.productId(),
        LwwRegister.initial(command.name(), stamp),
        LwwRegister.initial(command.description(), stamp),
        LwwRegister.initial(command.price(), stamp),
        LwwRegister.initial(command.active(), stamp));
  }

  /**
   * This product after a local replace. {@code stamp} must come from the region's clock after
   * observing {@link #latestStamp()}; fields whose value does not change keep their stamp.
   */
  public Product apply(UpsertProduct command, HlcStamp stamp) {
    if (!command.productId().equals(id)) {
      throw new IllegalArgumentException("command for " + command.productId() + " applied to " + id);
    }
    if (stamp.compareTo(latestStamp()) <= 0) {
      throw new IllegalArgumentException("a write must be stamped after the state it replaces");
    }
    return new Product(id,
        name.write(command.name(), stamp),
        description.write(command.description(), stamp),
        price.write(command.price(), stamp),
        active.write(command.active(), stamp));
  }

  public Product merge(Product other) {
    requireSameId(other);
    return new Product(id,
        name.merge(other.name, Comparator.naturalOrder()),
        description.merge(other.description, Comparator.naturalOrder()),
        price.merge(other.price, Comparator.naturalOrder()),
        active.merge(other.active, Comparator.naturalOrder()));
  }

  /** True when this state already reflects every write in {@code other}. */
  public boolean contains(Product other) {
    requireSameId(other);
    return name.contains(other.name, Comparator.naturalOrder())
        && description.contains(other.description, Comparator.naturalOrder())
        && price.contains(other.price, Comparator.naturalOrder())
        && active.contains(other.active, Comparator.naturalOrder());
  }

  /** The concurrent writes that {@link #merge} resolves between this state and {@code other}. */
  public List<Conflict> conflictsWith(Product other) {
    requireSameId(other);
    List<Conflict> conflicts = new ArrayList<>();
    addIfConcurrent(conflicts, "name", name, other.name, Comparator.naturalOrder());
    addIfConcurrent(conflicts, "description", description, other.description, Comparator.naturalOrder());
    addIfConcurrent(conflicts, "price", price, other.price, Comparator.naturalOrder());
    addIfConcurrent(conflicts, "active", active, other.active, Comparator.naturalOrder());
    return conflicts;
  }

  public String currentName() {
    return name.value();
  }

  public String currentDescription() {
    return description.value();
  }

  public Money currentPrice() {
    return price.value();
  }

  public boolean isActive() {
    return active.value();
  }

  /**
   * Identifies the product's current field values, not how they came about: equal fingerprints
   * mean equal name, description, price and active flag. A client's {@code If-Match} names one,
   * so a replace applies only to the fields the client saw (an item version cannot say that: a
   * write replicated from another region may carry the same version with other fields).
   */
  public String fingerprint() {
    String canonical = String.join("\u001f", name.value(), description.value(),
        Long.toString(price.value().minorUnits()), price.value().currency(), Boolean.toString(active.value()));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The newest stamp of any field: a new local write must be stamped after it. */
  public HlcStamp latestStamp() {
    return Stream.of(name.stamp(), description.stamp(), price.stamp(), active.stamp())
        .max(Comparator.naturalOrder()).orElseThrow();
  }

  private <T> void addIfConcurrent(List<Conflict> out, String field, LwwRegister<T> mine, LwwRegister<T> theirs,
      Comparator<? super T> tieBreak) {
    if (!mine.concurrentWith(theirs)) {
      return;
    }
    // Concurrent writes have distinct stamps: the later one wins.
    LwwRegister<T> winner = mine.stamp().compareTo(theirs.stamp()) > 0 ? mine : theirs;
    LwwRegister<T> loser = winner == mine ? theirs : mine;
    out.add(new Conflict(ENTITY, id.value(), field, "last-writer-wins",
        side(winner), side(loser)));
  }

  private static Conflict.Side side(LwwRegister<?> register) {
    return new Conflict.Side(String.valueOf(register.value()), register.stamp().region(), register.stamp());
  }

  private void requireSameId(Product other) {
    if (!id.equals(other.id)) {
      throw new IllegalArgumentException("cannot merge " + id + " with " + other.id);
    }
  }
}
