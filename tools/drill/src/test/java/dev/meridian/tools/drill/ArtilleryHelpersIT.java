package dev.meridian.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.testkit.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Artillery scenario's placement rule (tools/drill/artillery/region-outage.js), run by Node as
 * Artillery calls it: the placement loop's body runs once, then {@code retryPlacement} decides on
 * each further attempt from the status {@code recordPlacementStatus} kept. An earlier version read
 * a status Artillery never provides and placed every order again until a request timed out.
 */
class ArtilleryHelpersIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Feeds the rule a sequence of answers and returns how many placements it made for one order. */
  private static final String HARNESS = """
      const h = require(process.argv[1]);
      async function placements(statuses) {
        const context = { vars: {} };
        h.freshKey(context, null, () => {});
        const key = context.vars.idempotencyKey;
        let made = 0;
        for (;;) {
          const status = statuses[Math.min(made, statuses.length - 1)];
          made++;
          h.recordPlacementStatus({}, { statusCode: status }, context, null, () => {});
          const again = await new Promise(resolve => h.retryPlacement(context, resolve));
          if (!again) break;
        }
        return { made, sameKey: context.vars.idempotencyKey === key, key };
      }
      (async () => {
        const out = {
          created: await placements([201]),
          pending: await placements([202]),
          outOfStock: await placements([409]),
          refusedThenCreated: await placements([502, 503, 201]),
          alwaysRefused: await placements([503]),
        };
        const other = { vars: {} };
        h.freshKey(other, null, () => {});
        out.nextOrderKey = other.vars.idempotencyKey;
        console.log(JSON.stringify(out));
      })();
      """;

  @Test
  void anOrderIsPlacedOnceAndRetriedWithItsKeyOnlyAfterA5xxAtMostSixTimes() throws Exception {
    Path helpers = RepositoryRoot.path().resolve("tools/drill/artillery/region-outage.js");
    JsonNode out = runNode(helpers);

    assertThat(out.at("/created/made").asInt()).as("placed and answered 201").isEqualTo(1);
    assertThat(out.at("/pending/made").asInt()).as("answered 202").isEqualTo(1);
    assertThat(out.at("/outOfStock/made").asInt()).as("answered 409: not retried").isEqualTo(1);
    assertThat(out.at("/refusedThenCreated/made").asInt()).as("502, 503, then 201").isEqualTo(3);
    assertThat(out.at("/refusedThenCreated/sameKey").asBoolean()).as("retries keep the Idempotency-Key").isTrue();
    assertThat(out.at("/alwaysRefused/made").asInt()).as("5xx every time: at most 6 placements").isEqualTo(6);
    assertThat(out.path("nextOrderKey").asText()).as("the next order gets a fresh key")
        .startsWith("artillery-").isNotEqualTo(out.at("/created/key").asText());
  }

  private static JsonNode runNode(Path helpers) throws IOException, InterruptedException {
    Process node;
    try {
      node = new ProcessBuilder("node", "-e", HARNESS, helpers.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("Node.js is not installed (`node` not on PATH): " + e.getMessage());
      throw e;
    }
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
    assertThat(node.exitValue()).as("node: " + output).isZero();
    return JSON.readTree(output.lines().reduce((a, b) -> b).orElse("{}"));
  }
}
