package dev.meridian.tools.local.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchResponseTest {

  private static final Set<String> BATCH = Set.of("a", "b", "c");

  private static BatchResponse parse(String payload) {
    return BatchResponse.parse(payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), BATCH);
  }

  @Test
  void emptyAnswersAreCompleteSuccess() {
    for (String payload : new String[] {null, "", " ", "null", "{}", "{\"batchItemFailures\":null}",
        "{\"batchItemFailures\":[]}", "{\"other\":1}"}) {
      assertThat(parse(payload).isCompleteSuccess()).as(payload).isTrue();
    }
  }

  @Test
  void listedItemsAreTheFailures() {
    BatchResponse r = parse("{\"batchItemFailures\":[{\"itemIdentifier\":\"b\"},{\"itemIdentifier\":\"c\"}]}");
    assertThat(r.isInvalid()).isFalse();
    assertThat(r.failed()).containsExactlyInAnyOrder("b", "c");
  }

  @Test
  void malformedAnswersFailTheWholeBatch() {
    for (String payload : new String[] {"not json", "\"done\"", "[1]", "{\"batchItemFailures\":{}}",
        "{\"batchItemFailures\":[{}]}", "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}",
        "{\"batchItemFailures\":[{\"itemIdentifier\":null}]}", "{\"batchItemFailures\":[{\"itemidentifier\":\"a\"}]}",
        "{\"batchItemFailures\":[{\"itemIdentifier\":7}]}", "{\"batchItemFailures\":[{\"itemIdentifier\":\"zzz\"}]}"}) {
      assertThat(parse(payload).isInvalid()).as(payload).isTrue();
    }
  }
}
