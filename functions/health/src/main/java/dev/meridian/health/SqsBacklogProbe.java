package dev.meridian.health;

import dev.meridian.app.health.BacklogProbe;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The reconcile queue's {@code ApproximateNumberOfMessages} (IAM: {@code sqs:GetQueueAttributes}). */
final class SqsBacklogProbe implements BacklogProbe {
  private final SqsClient sqs;
  private final String queueUrl;

  SqsBacklogProbe(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public long approximateMessages() {
    String value = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    if (value == null) {
      throw new IllegalStateException("the queue did not report ApproximateNumberOfMessages");
    }
    return Long.parseLong(value);
  }
}
