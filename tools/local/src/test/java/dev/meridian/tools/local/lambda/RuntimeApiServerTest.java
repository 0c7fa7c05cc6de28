package dev.meridian.tools.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.tools.local.lambda.RuntimeApiServer.Request;
import dev.meridian.tools.local.lambda.RuntimeApiServer.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RuntimeApiServerTest {

  private final List<Request> seen = new CopyOnWriteArrayList<>();

  private RuntimeApiServer echoServer() throws IOException {
    return new RuntimeApiServer("test", request -> {
      seen.add(request);
      if (request.path().equals("/close")) {
        return null;
      }
      return new Response(202, Map.of("X-Method", request.method()), request.body());
    });
  }

  @Test
  void servesKeepAliveRequestsWithBodies() throws Exception {
    try (RuntimeApiServer server = echoServer()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/2018-06-01/runtime/x?q=1"))
            .POST(HttpRequest.BodyPublishers.ofString("body " + i)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("body " + i);
        assertThat(response.headers().firstValue("x-method")).hasValue("POST");
      }
      assertThat(seen).extracting(Request::path).containsOnly("/2018-06-01/runtime/x");
    }
  }

  @Test
  void decodesChunkedBodiesAndAnswersExpectContinue() throws Exception {
    try (RuntimeApiServer server = echoServer(); Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out.write(("POST /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(in.readLine()).isEmpty();
      out.write("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 202 Accepted");
      String line;
      int length = -1;
      while (!(line = in.readLine()).isEmpty()) {
        if (line.startsWith("Content-Length: ")) {
          length = Integer.parseInt(line.substring(16));
        }
      }
      char[] body = new char[length];
      assertThat(in.read(body)).isEqualTo(11);
      assertThat(new String(body)).isEqualTo("hello world");

      out.write("GET /close HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.readLine()).isNull(); // a null response closes the connection
    }
  }
}
