package dev.meridian.application.replication;

import dev.meridian.application.Page;
import dev.meridian.application.UseCase;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.ValidationException;

/** The operator's view of recorded conflicts ({@code GET /admin/conflicts}). */
@UseCase
public final class ConflictLog {
  private final ConflictRepository conflicts;

  public ConflictLog(ConflictRepository conflicts) {
    this.conflicts = conflicts;
  }

  public Page<Conflict> list(String cursor, Integer limit) {
    int size = limit == null ? Page.DEFAULT_LIMIT : limit;
    if (size < 1 || size > Page.MAX_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and " + Page.MAX_LIMIT);
    }
    return conflicts.list(cursor, size);
  }
}
