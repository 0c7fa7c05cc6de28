package dev.meridian.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.domain.common.FieldError;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {
  private final ObjectMapper json = StrictJson.mapper();

  @Test
  void serializesAsRfc9457WithErrorsAndExtensions() throws Exception {
    Problem problem = Problem.invalid(ProblemType.VALIDATION_FAILED, List.of(new FieldError("lines[3].quantity", "must be between 1 and 100")))
        .at("/orders").with("orderId", "o-1");
    JsonNode node = json.readTree(json.writeValueAsString(problem));
    assertThat(node.get("type").asText()).isEqualTo("https://meridian.dev/problems/validation-failed");
    assertThat(node.get("title").asText()).isNotBlank();
    assertThat(node.get("status").asInt()).isEqualTo(400);
    assertThat(node.get("detail").asText()).contains("lines[3].quantity");
    assertThat(node.get("instance").asText()).isEqualTo("/orders");
    assertThat(node.get("errors").get(0).get("field").asText()).isEqualTo("lines[3].quantity");
    assertThat(node.get("orderId").asText()).isEqualTo("o-1");
    assertThat(node.has("extensions")).isFalse();
  }

  @Test
  void omitsEmptyMembers() throws Exception {
    JsonNode node = json.readTree(json.writeValueAsString(Problem.of(ProblemType.NOT_FOUND, "no such order")));
    assertThat(node.has("errors")).isFalse();
    assertThat(node.has("instance")).isFalse();
  }

  @Test
  void everyProblemTypeHasAUniqueSlugAndAnErrorStatus() {
    assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::slug)).doesNotHaveDuplicates();
    assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::status)).allMatch(s -> s >= 400 && s < 600);
  }
}
