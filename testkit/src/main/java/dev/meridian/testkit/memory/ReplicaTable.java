package dev.meridian.testkit.memory;

import dev.meridian.application.orders.OrderRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * One region's replica of the DynamoDB global table, in memory. Items are keyed like the table
 * ({@code pk|sk}) and keep what a replica keeps: the domain state, {@code version},
 * {@code originRegion}, and the hidden replication timestamp that global tables resolve
 * concurrent writes with.
 *
 * <ul>
 *   <li>Local writes are transactions (a single put is a one-operation transaction): every
 *       condition is evaluated against this replica only, and either every operation is applied
 *       or none; one transaction never touches an item twice and takes at most 100 items, as
 *       TransactWriteItems.</li>
 *   <li>Reads are strongly consistent within the replica.</li>
 *   <li>Replicated writes arrive as whole items and replace the local item only when their
 *       timestamp is later (ties broken by region): last writer wins, silently.</li>
 * </ul>
 * Every change, local or replicated, goes to the {@link Observer}: the table's stream, and for
 * local writes the replication to every other replica.
 */
public final class ReplicaTable {
  public static final int MAX_TRANSACTION_ITEMS = OrderRepository.MAX_ITEMS_PER_WRITE;

  /** Told of every change to this replica. */
  public interface Observer {
    void changed(Item item, boolean local);
  }

  /** One stored item. {@code written} is the global table's replication timestamp, invisible to the application. */
  public record Item(String key, Object value, long version, String originRegion, WriteStamp written) {}

  /** When and where an item was written; global tables keep the later one. */
  public record WriteStamp(long millis, String region) implements Comparable<WriteStamp> {
    @Override
    public int compareTo(WriteStamp o) {
      int c = Long.compare(millis, o.millis);
      return c != 0 ? c : region.compareTo(o.region);
    }
  }

  /** What an operation writes: the new state and its bookkeeping attributes. */
  public record Put(Object value, long version, String originRegion) {}

  /**
   * One operation of a transaction. {@code condition} sees the current item (null when absent);
   * {@code update} computes the put from it, or is null for a condition check only.
   */
  public record Op(String key, Predicate<Item> condition, Function<Item, Put> update) {
    static Op check(String key, Predicate<Item> condition) {
      return new Op(key, condition, null);
    }
  }

  public static final Predicate<Item> ALWAYS = item -> true;
  public static final Predicate<Item> ABSENT = item -> item == null;
  public static final Predicate<Item> PRESENT = item -> item != null;

  public static Predicate<Item> versionIs(long expected) {
    return item -> item != null && item.version() == expected;
  }

  private final String region;
  private final LongSupplier wallClock;
  private final NavigableMap<String, Item> items = new TreeMap<>();
  private final Observer observer;
  private final Consumer<String> afterRead;

  /**
   * @param afterRead runs after every application read has taken its snapshot, with the key (or
   *                  key prefix) read, so that writes from elsewhere can land between a read and
   *                  the conditional write based on it
   */
  public ReplicaTable(String region, LongSupplier wallClock, Observer observer, Consumer<String> afterRead) {
    this.region = region;
    this.wallClock = wallClock;
    this.observer = observer;
    this.afterRead = afterRead;
  }

  public String region() {
    return region;
  }

  /** A strongly consistent GetItem. */
  public Item read(String key) {
    Item item = items.get(key);
    afterRead.accept(key);
    return item;
  }

  /** A strongly consistent Query: every item whose key starts with {@code prefix}, in key order. */
  public List<Item> query(String prefix) {
    List<Item> found = new ArrayList<>(items.subMap(prefix, true, prefix + Character.MAX_VALUE, false).values());
    afterRead.accept(prefix);
    return found;
  }

  /**
   * TransactWriteItems.
   *
   * @return -1 when every operation was applied, else the index of the first operation whose
   *     condition failed (nothing applied)
   */
  int transact(List<Op> ops) {
    if (ops.isEmpty() || ops.size() > MAX_TRANSACTION_ITEMS) {
      throw new IllegalArgumentException("a transaction takes 1 to " + MAX_TRANSACTION_ITEMS + " items, not " + ops.size());
    }
    Set<String> keys = new HashSet<>();
    for (Op op : ops) {
      if (!keys.add(op.key())) {
        throw new IllegalArgumentException("a transaction cannot include several operations on " + op.key());
      }
    }
    for (int i = 0; i < ops.size(); i++) {
      if (!ops.get(i).condition().test(items.get(ops.get(i).key()))) {
        return i;
      }
    }
    List<Item> next = new ArrayList<>();
    for (Op op : ops) {
      if (op.update() == null) {
        continue;
      }
      Item current = items.get(op.key());
      Put put = op.update().apply(current);
      next.add(new Item(op.key(), put.value(), put.version(), put.originRegion(), stampAfter(current)));
    }
    for (Item item : next) {
      items.put(item.key(), item);
    }
    for (Item item : next) {
      observer.changed(item, true);
    }
    return -1;
  }

  /** A local write is stamped after the item it replaces, so every replica orders the two alike. */
  private WriteStamp stampAfter(Item current) {
    long millis = wallClock.getAsLong();
    if (current != null && current.written().millis() >= millis) {
      millis = current.written().millis() + 1;
    }
    return new WriteStamp(millis, region);
  }

  /**
   * Global-table replication of another replica's write.
   *
   * @return true when the item replaced the local one (or there was none)
   */
  public boolean applyReplicated(Item incoming) {
    Item current = items.get(incoming.key());
    if (current != null && current.written().compareTo(incoming.written()) >= 0) {
      return false;
    }
    items.put(incoming.key(), incoming);
    observer.changed(incoming, false);
    return true;
  }

  /** The stored item without the read hook: the simulator's and verifier's view, not the application's. */
  public Item peek(String key) {
    return items.get(key);
  }

  public Collection<Item> items() {
    return items.values();
  }
}
