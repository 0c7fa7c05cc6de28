package dev.meridian.tools.local.model;

import java.util.List;

/** An event that invokes a function, from the SAM function's {@code Events}. */
public sealed interface EventSourceSpec {

  /** An HTTP API route; {@code scopes} empty = any valid token; {@code authorizer} null = public. */
  record HttpRoute(String name, String method, String path, String authorizer, List<String> scopes) implements EventSourceSpec {
    public HttpRoute {
      scopes = List.copyOf(scopes);
    }
  }

  /** An SQS queue polled in batches. */
  record Sqs(String name, String queueLogicalId, int batchSize, boolean reportBatchItemFailures) implements EventSourceSpec {}

  /**
   * A DynamoDB stream.
   *
   * @param onFailureQueueLogicalId where a batch that exhausted its retries is recorded, or null
   */
  record DynamoDbStream(String name, String tableName, int batchSize, String startingPosition, int maximumRetryAttempts,
      boolean bisectBatchOnFunctionError, boolean reportBatchItemFailures, String onFailureQueueLogicalId)
      implements EventSourceSpec {}

  /** An EventBridge schedule ({@code rate(...)} only), with its constant input or null. */
  record Schedule(String name, long periodSeconds, String inputJson, boolean enabled) implements EventSourceSpec {}
}
