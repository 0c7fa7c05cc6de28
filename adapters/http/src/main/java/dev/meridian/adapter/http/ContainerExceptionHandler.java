package dev.meridian.adapter.http;

import com.amazonaws.serverless.proxy.ExceptionHandler;
import com.amazonaws.serverless.proxy.internal.LambdaContainerHandler;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.model.Headers;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the container answers when a failure escapes Spring MVC (an event it cannot read, a
 * filter that threw): a 500 problem document instead of the library's plain JSON. Reaching
 * this is a bug or a broken integration, never a client's input, so it logs the stack trace.
 */
final class ContainerExceptionHandler implements ExceptionHandler<AwsProxyResponse> {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerExceptionHandler.class);

  @Override
  public AwsProxyResponse handle(Throwable failure) {
    LOG.error("request failed outside Spring MVC: {}", failure.getClass().getName(), failure);
    Headers headers = new Headers();
    headers.putSingle("Content-Type", Problem.MEDIA_TYPE.toString());
    String body;
    try {
      body = StrictJson.mapper().writeValueAsString(
          Problem.of(ProblemType.INTERNAL_ERROR, "an internal error occurred; it has been logged"));
    } catch (JsonProcessingException e) {
      body = "{\"type\":\"" + ProblemType.INTERNAL_ERROR.uri() + "\",\"status\":500}";
    }
    return new AwsProxyResponse(500, headers, body);
  }

  @Override
  public void handle(Throwable failure, OutputStream out) throws IOException {
    LambdaContainerHandler.getObjectMapper().writeValue(out, handle(failure));
  }
}
