package dev.meridian.adapter.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@link #MAX_BYTES} with 413 before anything parses them. The
 * body is counted as read (never trusting Content-Length alone, which a Lambda event need not
 * carry) and handed on from memory.
 */
public final class BodyLimitFilter extends OncePerRequestFilter {
  /** 64 KiB: an order of 50 lines is about 3 KiB; anything near this is not a real request. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(BodyLimitFilter.class);

  private final ObjectMapper json;

  public BodyLimitFilter(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in == null ? new byte[0] : in.readNBytes(MAX_BYTES + 1);
    }
    if (body.length > MAX_BYTES) {
      Problem problem = Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "request bodies are limited to " + MAX_BYTES + " bytes")
          .at(request.getRequestURI());
      LOG.info("{} {} -> 413 {}", request.getMethod(), request.getRequestURI(), problem.type());
      response.setStatus(problem.status());
      response.setContentType(Problem.MEDIA_TYPE.toString());
      response.getOutputStream().write(json.writeValueAsBytes(problem));
      return;
    }
    chain.doFilter(new BufferedBody(request, body), response);
  }

  /** The request with its body replayed from memory. */
  private static final class BufferedBody extends HttpServletRequestWrapper {
    private static final String CONTENT_LENGTH = "Content-Length";

    private final byte[] body;

    BufferedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("bodies are read synchronously");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      Charset charset;
      try {
        charset = getCharacterEncoding() == null ? StandardCharsets.UTF_8 : Charset.forName(getCharacterEncoding());
      } catch (RuntimeException unknownCharset) {
        charset = StandardCharsets.UTF_8;
      }
      return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
    }

    /** The length read, replacing whatever Content-Length claimed (a garbage value would break Spring's parsing). */
    @Override
    public String getHeader(String name) {
      return CONTENT_LENGTH.equalsIgnoreCase(name) ? String.valueOf(body.length) : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return CONTENT_LENGTH.equalsIgnoreCase(name)
          ? Collections.enumeration(List.of(String.valueOf(body.length))) : super.getHeaders(name);
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
