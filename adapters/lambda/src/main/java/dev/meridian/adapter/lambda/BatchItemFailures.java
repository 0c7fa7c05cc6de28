package dev.meridian.adapter.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A partial batch response ({@code ReportBatchItemFailures}) for SQS and DynamoDB stream sources,
 * as Powertools' batch utility builds it: every item is {@link #seen} in the order the batch
 * delivered it, and the answer lists the failed ones in that order. For a stream, Lambda resumes
 * from the lowest failed sequence number, so the order matters; an item failed twice is listed
 * once.
 */
public final class BatchItemFailures {
  private final List<String> order = new ArrayList<>();
  private final Set<String> failed = new LinkedHashSet<>();

  /** Records that the batch delivered {@code itemIdentifier} (a message id, a sequence number). */
  public void seen(String itemIdentifier) {
    order.add(itemIdentifier);
  }

  public void fail(String itemIdentifier) {
    failed.add(itemIdentifier);
  }

  public void failAll(Iterable<String> itemIdentifiers) {
    itemIdentifiers.forEach(failed::add);
  }

  public int failedCount() {
    return failed.size();
  }

  public int seenCount() {
    return order.size();
  }

  /** {@code {"batchItemFailures":[{"itemIdentifier":...},...]}} in delivery order. */
  public ObjectNode toJson() {
    ObjectNode response = JsonHandlers.object();
    ArrayNode failures = response.putArray("batchItemFailures");
    order.stream().filter(failed::contains).distinct().forEach(id -> failures.addObject().put("itemIdentifier", id));
    return response;
  }
}
