package dev.meridian.adapter.messaging.sqs;

import dev.meridian.application.StoreUnavailableException;
import dev.meridian.application.replication.DeadLetters;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The reconcile dead-letter queue: a rejected message keeps its body, and the reason travels as
 * the {@value #REASON_ATTRIBUTE} message attribute (at most 1,000 characters).
 */
public final class SqsDeadLetters implements DeadLetters {
  public static final String REASON_ATTRIBUTE = "meridian-rejection";
  private static final int MAX_REASON = 1_000;

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsDeadLetters(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /**
   * The account that owns a queue: the first path segment of its URL
   * ({@code https://sqs.<region>.amazonaws.com/<account>/<name>}, also moto's form).
   *
   * @throws IllegalArgumentException when the URL is not a queue URL
   */
  public static String ownerAccount(String queueUrl) {
    String[] path = java.net.URI.create(queueUrl).getPath().split("/");
    if (path.length != 3 || !path[1].matches("\\d{12}") || path[2].isEmpty()) {
      throw new IllegalArgumentException(queueUrl + " is not an SQS queue URL (.../<12-digit account>/<queue name>)");
    }
    return path[1];
  }

  @Override
  public void send(String message, String reason) {
    try {
      sqs.sendMessage(SendMessageRequest.builder()
          .queueUrl(queueUrl)
          .messageBody(message.isEmpty() ? "(empty body)" : message)
          .messageAttributes(Map.of(REASON_ATTRIBUTE, MessageAttributeValue.builder()
              .dataType("String").stringValue(reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON)).build()))
          .build());
    } catch (SdkException e) {
      throw new StoreUnavailableException("the dead-letter queue did not take the message: " + e.getMessage(), e);
    }
  }
}
