package dev.meridian.tools.local.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No moto needed: how predicted values in environments become real ones. */
class ProvisionerTest {

  @Test
  void predictedQueueUrlsAndStreamArnsAreReplacedAsWholeTokens() {
    Map<String, String> replacements = new LinkedHashMap<>();
    replacements.put("https://sqs.us-east-1.amazonaws.com/123456789012/q", "http://127.0.0.1:5000/123456789012/q");
    replacements.put("https://sqs.us-east-1.amazonaws.com/123456789012/q-long",
        "http://127.0.0.1:5000/123456789012/q-long");
    replacements.put("arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/1970-01-01T00:00:00.000",
        "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-02T03:04:05.678");

    assertThat(Provisioner.substitute("https://sqs.us-east-1.amazonaws.com/123456789012/q", replacements))
        .isEqualTo("http://127.0.0.1:5000/123456789012/q");
    assertThat(Provisioner.substitute("https://sqs.us-east-1.amazonaws.com/123456789012/q-long", replacements))
        .isEqualTo("http://127.0.0.1:5000/123456789012/q-long");
    assertThat(Provisioner.substitute("https://sqs.us-east-1.amazonaws.com/123456789012/q-other", replacements))
        .isEqualTo("https://sqs.us-east-1.amazonaws.com/123456789012/q-other");
    assertThat(Provisioner.substitute(
        "a=https://sqs.us-east-1.amazonaws.com/123456789012/q,b=arn:aws:dynamodb:us-east-1:123456789012:table/t/"
            + "stream/1970-01-01T00:00:00.000", replacements))
        .isEqualTo("a=http://127.0.0.1:5000/123456789012/q,b=arn:aws:dynamodb:us-east-1:123456789012:table/t/"
            + "stream/2026-01-02T03:04:05.678");
    assertThat(Provisioner.substitute("meridian", replacements)).isEqualTo("meridian");
  }
}
