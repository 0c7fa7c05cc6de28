package dev.meridian.function.orders;

import dev.meridian.adapter.http.Requires;
import dev.meridian.adapter.http.Requires.Audience;
import dev.meridian.application.replication.ConflictLog;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The conflicts reconcilers recorded, for an operator to review: every concurrent write a
 * cross-region merge resolved, with both sides and the rule that decided. Admin only.
 */
@RestController
@Requires(Audience.ADMIN)
class ConflictsController {
  private final ConflictLog conflicts;

  ConflictsController(ConflictLog conflicts) {
    this.conflicts = conflicts;
  }

  /** 200 a page of conflicts, newest first; 400 for a forged cursor or a limit outside 1–100. */
  @GetMapping("/admin/conflicts")
  ResponseEntity<Object> list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
    String from = cursor == null || cursor.isEmpty() ? null : cursor;
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
        .body(OrderJson.ConflictPage.of(conflicts.list(from, limit)));
  }
}
