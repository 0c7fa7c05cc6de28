package dev.meridian.tools.local.lambda;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP/1.1 server for the Lambda Runtime API, on {@code 127.0.0.1:<free port>}: one
 * thread per connection (the runtime keeps one or two), keep-alive, Content-Length or chunked
 * request bodies, {@code Expect: 100-continue}.
 *
 * <p>Why not {@code com.sun.net.httpserver.HttpServer}: it flushes a response's headers before its
 * body and only enables TCP_NODELAY through the JVM-wide {@code sun.net.httpserver.nodelay}, read
 * once when the first server of the JVM is created. With Nagle's algorithm on, the body waits for
 * the runtime's delayed ACK (~40 ms on Linux) on every {@code /next} and every acknowledgement;
 * measured: warm invocations took ~90 ms instead of a few. This server sets TCP_NODELAY on each
 * socket and writes each response in one write.
 */
final class RuntimeApiServer implements AutoCloseable {

  /** A parsed request; header names lower-cased. */
  record Request(String method, String path, Map<String, String> headers, byte[] body) {}

  /** A response; null from the handler closes the connection without answering. */
  record Response(int status, Map<String, String> headers, byte[] body) {}

  /** Handles one request; may block (the long-poll {@code /next}). */
  @FunctionalInterface
  interface Handler {
    Response handle(Request request) throws IOException;
  }

  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_BODY = 64 * 1024 * 1024;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ServerSocket server;
  private final Handler handler;
  private final String name;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  RuntimeApiServer(String name, Handler handler) throws IOException {
    this.name = name;
    this.handler = handler;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
    Thread acceptor = new Thread(this::acceptLoop, "lambda-rapi-" + name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Closes the listening socket and every connection (a blocked handler is not interrupted). */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      connections.add(socket);
      if (closed) {
        closeQuietly(socket);
        return;
      }
      Thread t = new Thread(() -> serve(socket), "lambda-rapi-" + name + "-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        String requestLine = readLine(in);
        if (requestLine == null) {
          return;
        }
        if (requestLine.isEmpty()) {
          continue; // tolerate a stray CRLF between requests
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
          write(out, new Response(400, Map.of(), new byte[0]), true);
          return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; !(line = readLine(in, true)).isEmpty(); ) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
          }
        }
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        byte[] body = readBody(in, headers);
        String target = parts[1];
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        Response response = handler.handle(new Request(parts[0], path, headers, body));
        if (response == null) {
          return;
        }
        boolean close = "close".equalsIgnoreCase(headers.get("connection")) || parts[2].equals("HTTP/1.0");
        write(out, response, close);
        if (close) {
          return;
        }
      }
    } catch (SocketException | EOFException e) {
      // peer went away (the process was killed, or the server closed)
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        System.getLogger(RuntimeApiServer.class.getName()).log(System.Logger.Level.WARNING,
            "Runtime API connection failed (" + name + ")", e);
      }
    } finally {
      connections.remove(socket);
    }
  }

  private static void write(OutputStream out, Response response, boolean close) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ')
        .append(reason(response.status())).append("\r\n");
    for (Map.Entry<String, String> h : response.headers().entrySet()) {
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    head.append("Content-Length: ").append(response.body().length).append("\r\n");
    if (close) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[headBytes.length + response.body().length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(response.body(), 0, all, headBytes.length, response.body().length);
    out.write(all);
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 202 -> "Accepted";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 413 -> "Payload Too Large";
      case 500 -> "Internal Server Error";
      default -> "Status";
    };
  }

  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    String encoding = headers.get("transfer-encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in, true);
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          while (!readLine(in, true).isEmpty()) {
            // trailers
          }
          return body.toByteArray();
        }
        if (body.size() + size > MAX_BODY) {
          throw new IOException("Request body too large");
        }
        body.write(in.readNBytes(size));
        readLine(in, true);
      }
    }
    String length = headers.get("content-length");
    if (length == null || length.isEmpty()) {
      return new byte[0];
    }
    long n = Long.parseLong(length.trim());
    if (n > MAX_BODY || n < 0) {
      throw new IOException("Bad Content-Length " + length);
    }
    byte[] body = in.readNBytes((int) n);
    if (body.length != n) {
      throw new EOFException("Body truncated");
    }
    return body;
  }

  /** A CRLF- (or LF-) terminated line, or null at end of stream before any byte. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("Line too long");
      }
      line.write(c);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in, boolean required) throws IOException {
    String line = readLine(in);
    if (line == null && required) {
      throw new EOFException("Connection closed mid-request");
    }
    return line;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
