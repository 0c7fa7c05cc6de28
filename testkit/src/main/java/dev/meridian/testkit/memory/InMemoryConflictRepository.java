package dev.meridian.testkit.memory;

import dev.meridian.application.Page;
import dev.meridian.application.replication.ConflictRepository;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.testkit.memory.ReplicaTable.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ConflictRepository} on one in-memory replica: one partition, newest first. */
public final class InMemoryConflictRepository implements ConflictRepository {
  private static final String CURSOR = "conflicts:";

  private final ReplicaTable table;

  public InMemoryConflictRepository(ReplicaTable table) {
    this.table = table;
  }

  @Override
  public Page<Conflict> list(String cursor, int limit) {
    String before = null;
    if (cursor != null) {
      if (!cursor.startsWith(CURSOR)) {
        throw ValidationException.of("cursor", "was not issued by this API");
      }
      before = cursor.substring(CURSOR.length());
    }
    List<Item> all = table.query(TableKeys.CONFLICTS);
    List<Conflict> page = new ArrayList<>();
    boolean more = false;
    for (int i = all.size() - 1; i >= 0; i--) {
      String position = all.get(i).key().substring(TableKeys.CONFLICTS.length());
      if (before != null && position.compareTo(before) >= 0) {
        continue;
      }
      if (page.size() == limit) {
        more = true;
        break;
      }
      page.add((Conflict) all.get(i).value());
    }
    return new Page<>(page, more
        ? Optional.of(CURSOR + TableKeys.conflictPosition(page.get(page.size() - 1)))
        : Optional.empty());
  }
}
