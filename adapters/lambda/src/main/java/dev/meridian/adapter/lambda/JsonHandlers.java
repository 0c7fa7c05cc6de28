package dev.meridian.adapter.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.UnaryOperator;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * How an event function answers an invocation: the event read as a JSON tree, the handling run
 * with Powertools' request context in every log line (Lambda's request id, cold start, function),
 * the answer written back. Without a Lambda context (a test calling the handler) the logging
 * context is left out.
 */
public final class JsonHandlers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonHandlers() {}

  public static void handle(InputStream input, OutputStream output, Context context, UnaryOperator<JsonNode> handler)
      throws IOException {
    JsonNode event = JSON.readTree(input);
    JsonNode response = context == null ? handler.apply(event)
        : PowertoolsLogging.withLogging(context, () -> handler.apply(event));
    JSON.writeValue(output, response);
  }

  /** An empty JSON object to fill in as an answer. */
  public static com.fasterxml.jackson.databind.node.ObjectNode object() {
    return JSON.createObjectNode();
  }
}
