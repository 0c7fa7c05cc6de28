package dev.meridian.adapter.dynamodb;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Reads which item of a cancelled transaction failed its condition. */
final class Transactions {
  static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";

  private Transactions() {}

  static boolean failedCondition(TransactionCanceledException e, int index) {
    List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    return index < reasons.size() && CONDITIONAL_CHECK_FAILED.equals(reasons.get(index).code());
  }

  /** The first item whose condition failed, or -1 (the transaction failed for another reason, e.g. a conflict). */
  static int firstFailedCondition(TransactionCanceledException e) {
    List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    for (int i = 0; i < reasons.size(); i++) {
      if (CONDITIONAL_CHECK_FAILED.equals(reasons.get(i).code())) {
        return i;
      }
    }
    return -1;
  }
}
