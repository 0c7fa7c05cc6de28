package dev.meridian.tools.local.template;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The physical names, ids, ARNs and URLs the resolver gives resources, before anything exists.
 *
 * <p>Names follow CloudFormation: an explicit name property wins; otherwise
 * {@code <stack>-<LogicalId>-<SUFFIX>} with a 12-character suffix that is a hash of stack name
 * and logical id (CloudFormation's is random), so re-resolving yields the same names and the local
 * stack is idempotent. Ids that CloudFormation gets from a service (HTTP API id, health check id)
 * are similar hashes.
 *
 * <p>ARNs are exactly what moto produces (account {@value #ACCOUNT_ID}, partition {@code aws}), so
 * they are final. The only values that differ after provisioning are <b>queue URLs</b> (moto builds
 * them from the endpoint it was called on: {@code http://127.0.0.1:<port>/<account>/<name>}) and
 * <b>stream ARNs</b> (their label is the creation time). The resolver writes the AWS form ({@link
 * #queueUrl}, {@link #streamArn} with {@link #PLACEHOLDER_STREAM_LABEL}); the provisioner replaces
 * them with the real ones (see {@code ProvisionedRegion.functionEnvironments}).
 */
public final class LocalNames {

  /** The account moto uses for any dummy credentials. */
  public static final String ACCOUNT_ID = "123456789012";
  public static final String PARTITION = "aws";
  public static final String URL_SUFFIX = "amazonaws.com";
  /** The stream label of a stream ARN predicted before its table exists. */
  public static final String PLACEHOLDER_STREAM_LABEL = "1970-01-01T00:00:00.000";

  private static final char[] UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
  private static final char[] LOWER = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final Pattern ARN = Pattern.compile("^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$");

  private LocalNames() {}

  /**
   * CloudFormation's generated name {@code <stack>-<LogicalId>-<SUFFIX>}, shortened like
   * CloudFormation does (stack and logical id are truncated) to fit {@code maxLength}.
   */
  public static String generatedName(String stackName, String logicalId, int maxLength) {
    String suffix = hash(stackName + "/" + logicalId, 12, UPPER);
    int room = maxLength - suffix.length() - 2;
    String stack = stackName;
    String id = logicalId;
    if (stack.length() + id.length() > room) {
      int half = Math.max(1, room / 2);
      if (stack.length() > half && id.length() > room - half) {
        stack = stack.substring(0, half);
        id = id.substring(0, room - half);
      } else if (stack.length() > half) {
        stack = stack.substring(0, room - id.length());
      } else {
        id = id.substring(0, room - stack.length());
      }
    }
    return stack + "-" + id + "-" + suffix;
  }

  /** A service-assigned id such as an HTTP API id: {@code length} lowercase letters and digits. */
  public static String generatedId(String seed, int length) {
    return hash(seed, length, LOWER);
  }

  /** A UUID-shaped id (Route 53 health check ids look like this). */
  public static String generatedUuid(String seed) {
    String h = hash(seed, 32, "0123456789abcdef".toCharArray());
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
        + "-" + h.substring(20);
  }

  /** The queue URL as AWS reports it; moto's differs (see the class comment). */
  public static String queueUrl(String region, String queueName) {
    return "https://sqs." + region + "." + URL_SUFFIX + "/" + ACCOUNT_ID + "/" + queueName;
  }

  public static String queueArn(String region, String queueName) {
    return arn("sqs", region, queueName);
  }

  public static String eventBusArn(String region, String busName) {
    return arn("events", region, "event-bus/" + busName);
  }

  /** A rule's ARN; rules on a custom bus have the bus name in their resource path. */
  public static String ruleArn(String region, String busName, String ruleName) {
    return arn("events", region, "rule/" + ("default".equals(busName) ? "" : busName + "/") + ruleName);
  }

  public static String tableArn(String region, String tableName) {
    return arn("dynamodb", region, "table/" + tableName);
  }

  /** A stream ARN with {@link #PLACEHOLDER_STREAM_LABEL}; the real label is known once created. */
  public static String streamArn(String region, String tableName) {
    return tableArn(region, tableName) + "/stream/" + PLACEHOLDER_STREAM_LABEL;
  }

  public static String arn(String service, String region, String resource) {
    return "arn:" + PARTITION + ":" + service + ":" + region + ":" + ACCOUNT_ID + ":" + resource;
  }

  /** An ARN's parts, or empty if {@code value} is not an ARN. */
  public static Optional<Arn> parseArn(String value) {
    if (value == null) {
      return Optional.empty();
    }
    Matcher m = ARN.matcher(value);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Arn(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)));
  }

  /** The parts of {@code arn:<partition>:<service>:<region>:<account>:<resource>}. */
  public record Arn(String partition, String service, String region, String account, String resource) {}

  private static String hash(String seed, int length, char[] alphabet) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet[(digest[i % digest.length] & 0xff) % alphabet.length]);
    }
    return out.toString();
  }
}
