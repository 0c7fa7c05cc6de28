package dev.meridian.tools.local.sources;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A function's answer under {@code ReportBatchItemFailures}: {@code {"batchItemFailures":
 * [{"itemIdentifier":"<message id | sequence number>"}]}}, judged as Lambda does.
 *
 * <ul>
 *   <li>Complete success: an empty or {@code null} payload, an object without {@code
 *       batchItemFailures} or with it {@code null} or empty.
 *   <li>Partial failure: every entry names an item of the batch by a non-empty string.
 *   <li>Invalid, i.e. the whole batch failed: anything else - not JSON, not an object, an entry
 *       without {@code itemIdentifier} (or a wrongly spelled key), an empty, null or non-string
 *       identifier, or one that is not in the batch.
 * </ul>
 *
 * @param failed  the identifiers reported (empty on success)
 * @param invalid why the response counts as a complete failure, or null
 */
record BatchResponse(Set<String> failed, String invalid) {

  static final BatchResponse SUCCESS = new BatchResponse(Set.of(), null);

  boolean isInvalid() {
    return invalid != null;
  }

  boolean isCompleteSuccess() {
    return invalid == null && failed.isEmpty();
  }

  static BatchResponse parse(byte[] payload, Set<String> batchIds) {
    if (payload == null || new String(payload, StandardCharsets.UTF_8).isBlank()) {
      return SUCCESS;
    }
    JsonNode root;
    try {
      root = LambdaEvents.JSON.readTree(payload);
    } catch (IOException e) {
      return invalid("response is not JSON");
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return SUCCESS;
    }
    if (!root.isObject()) {
      return invalid("response is not a JSON object");
    }
    JsonNode failures = root.get("batchItemFailures");
    if (failures == null || failures.isNull()) {
      return SUCCESS;
    }
    if (!failures.isArray()) {
      return invalid("batchItemFailures is not an array");
    }
    Set<String> failed = new LinkedHashSet<>();
    for (JsonNode entry : failures) {
      JsonNode id = entry.get("itemIdentifier");
      if (id == null || !id.isTextual() || id.asText().isEmpty()) {
        return invalid("batchItemFailures entry without a valid itemIdentifier: " + entry);
      }
      if (!batchIds.contains(id.asText())) {
        return invalid("itemIdentifier " + id.asText() + " is not in the batch");
      }
      failed.add(id.asText());
    }
    return new BatchResponse(Set.copyOf(failed), null);
  }

  private static BatchResponse invalid(String why) {
    return new BatchResponse(Set.of(), "invalid batch response: " + why);
  }
}
