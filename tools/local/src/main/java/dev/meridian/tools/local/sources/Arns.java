package dev.meridian.tools.local.sources;

/** ARN fields: {@code arn:partition:service:region:account:resource}. */
final class Arns {

  static final String DEFAULT_ACCOUNT = "123456789012";

  private Arns() {}

  static String region(String arn) {
    return field(arn, 3);
  }

  static String account(String arn) {
    String account = field(arn, 4);
    return account.isEmpty() ? DEFAULT_ACCOUNT : account;
  }

  private static String field(String arn, int index) {
    String[] parts = arn.split(":", 6);
    if (parts.length < 6 || !parts[0].equals("arn")) {
      throw new IllegalArgumentException("not an ARN: " + arn);
    }
    return parts[index];
  }
}
