package dev.meridian.tools.helloworld;

import com.amazonaws.serverless.exceptions.ContainerInitializationException;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequest;
import com.amazonaws.serverless.proxy.spring.SpringBootLambdaContainerHandler;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The baseline's Lambda entry point ({@code dev.meridian.tools.helloworld.HelloWorldHandler::handleRequest}) for
 * HTTP API payload 2.0 events, in the library's documented shape: the container handler is built in a static
 * initializer, so Spring starts in Lambda's init phase, as the Meridian functions' constructors do.
 */
public class HelloWorldHandler implements RequestStreamHandler {
  private static final SpringBootLambdaContainerHandler<HttpApiV2ProxyRequest, AwsProxyResponse> HANDLER;

  static {
    try {
      HANDLER = SpringBootLambdaContainerHandler.getHttpApiV2ProxyHandler(HelloWorldApplication.class);
    } catch (ContainerInitializationException e) {
      // Failing the init phase makes Lambda retry it on the next invocation.
      throw new IllegalStateException("Could not start the Spring Boot application", e);
    }
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    HANDLER.proxyStream(input, output, context);
  }
}
