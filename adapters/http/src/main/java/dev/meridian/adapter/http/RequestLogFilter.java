package dev.meridian.adapter.http;

import com.amazonaws.serverless.proxy.RequestReader;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequestContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the API Gateway request id in the logging context and writes one summary line per
 * request (method, path, status, milliseconds) once it is answered.
 */
public final class RequestLogFilter extends OncePerRequestFilter {
  public static final String API_REQUEST_ID = "api_request_id";

  private static final Logger LOG = LoggerFactory.getLogger(RequestLogFilter.class);

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getAttribute(RequestReader.HTTP_API_CONTEXT_PROPERTY) instanceof HttpApiV2ProxyRequestContext context
        && context.getRequestId() != null) {
      MDC.put(API_REQUEST_ID, context.getRequestId());
    }
    long start = System.nanoTime();
    try {
      chain.doFilter(request, response);
    } finally {
      LOG.info("{} {} {} {} ms", request.getMethod(), request.getRequestURI(), response.getStatus(),
          (System.nanoTime() - start) / 1_000_000);
    }
  }
}
