package dev.meridian.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/**
 * What no response body may carry: an exception's text, an ARN or an AWS account id. AWS error
 * messages name the account and the caller's role ARN ("User: arn:aws:sts::123456789012:
 * assumed-role/..."), so a body that echoes one hands them to anyone who asks; the details belong
 * in the logs.
 */
public final class ResponseBodies {
  private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:", Pattern.CASE_INSENSITIVE);
  private static final Pattern ACCOUNT_ID = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");

  private ResponseBodies() {}

  /**
   * Fails when {@code body} holds an ARN, a 12-digit account id, or any of {@code exceptionTexts}
   * (the messages of the exceptions the test provoked).
   */
  public static void assertCarriesNoInternals(String body, String... exceptionTexts) {
    assertThat(ARN.matcher(body).find()).as("an ARN in the body: " + body).isFalse();
    assertThat(ACCOUNT_ID.matcher(body).find()).as("an account id (12 digits) in the body: " + body).isFalse();
    for (String text : exceptionTexts) {
      assertThat(body).as("exception text in the body").doesNotContain(text);
    }
  }
}
