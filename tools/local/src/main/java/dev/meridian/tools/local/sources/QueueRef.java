package dev.meridian.tools.local.sources;

import java.util.Objects;

/** A provisioned SQS queue of one region: the template's logical id, its URL and ARN. */
public record QueueRef(String logicalId, String url, String arn) {

  public QueueRef {
    Objects.requireNonNull(logicalId, "logicalId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(arn, "arn");
  }

  /** The region in the ARN ({@code arn:aws:sqs:<region>:<account>:<name>}). */
  public String region() {
    return Arns.region(arn);
  }
}
