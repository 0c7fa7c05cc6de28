package dev.meridian.adapter.messaging.sqs;

import dev.meridian.application.health.BacklogProbe;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The reconcile queue's {@code ApproximateNumberOfMessages} (IAM: {@code sqs:GetQueueAttributes}). */
public final class SqsBacklogProbe implements BacklogProbe {
  private final SqsClient sqs;
  private final String queueUrl;

  public SqsBacklogProbe(SqsClient sqs, String queueUrl) {
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
