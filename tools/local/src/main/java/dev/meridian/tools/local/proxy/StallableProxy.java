package dev.meridian.tools.local.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of one upstream endpoint, with a stall switch: the way a region's
 * functions reach its DynamoDB endpoint, so an operator can make that endpoint hang for one region
 * ({@code ./tools/local/stack stall-dynamodb REGION on}) and rehearse what a slow dependency does to
 * the functions (SDK timeouts, Lambda timeouts, health checks).
 *
 * <ul>
 *   <li>Open: every accepted connection is piped byte for byte to a new upstream connection.
 *   <li>Stalled: connections are still accepted but nothing is forwarded in either direction, on new
 *       connections and on the ones already open (what a client has sent is read and dropped), so
 *       a caller waits until its own timeout, as with a dependency that stopped answering.
 *   <li>Back to open: every connection that was held during the stall is closed (what it carried is
 *       lost, as packets in a partition are); new connections are piped again.
 * </ul>
 * Listens on 127.0.0.1 only. Thread-safe.
 */
public final class StallableProxy implements AutoCloseable {
  private static final int BUFFER_BYTES = 16 * 1024;

  /** What the control API reports. */
  public record Status(String url, String upstream, boolean stalled, int openConnections, int heldConnections,
      long connectionsAccepted, long bytesForwarded) {}

  private final String name;
  private final URI upstream;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();
  private final Object lock = new Object();
  private volatile boolean stalled;
  private volatile boolean closed;

  /**
   * Binds a free loopback port and starts accepting.
   *
   * @param name     for thread names and status, e.g. {@code dynamodb-eu-west-1}
   * @param upstream {@code http://host:port} to forward to
   */
  public StallableProxy(String name, URI upstream) throws IOException {
    if (upstream.getHost() == null || upstream.getPort() < 0) {
      throw new IllegalArgumentException("the upstream needs a host and an explicit port: " + upstream);
    }
    this.name = name;
    this.upstream = upstream;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    this.acceptor = new Thread(this::acceptLoop, "proxy-" + name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code http://127.0.0.1:<port>}, what clients use as their endpoint instead of the upstream. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  public boolean stalled() {
    return stalled;
  }

  /** Stalls (true) or resumes (false) forwarding; see the class comment. */
  public void setStalled(boolean stall) {
    synchronized (lock) {
      if (stalled == stall) {
        return;
      }
      stalled = stall;
      if (stall) {
        open.forEach(Connection::hold);
      } else {
        for (Connection c : List.copyOf(open)) {
          if (c.held) {
            c.close();
          }
        }
      }
    }
  }

  public Status status() {
    int held = (int) open.stream().filter(c -> c.held).count();
    return new Status(url().toString(), upstream.toString(), stalled, open.size() - held, held, accepted.get(),
        forwarded.get());
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
    List.copyOf(open).forEach(Connection::close);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      Connection connection = new Connection(client);
      synchronized (lock) {
        open.add(connection);
        if (stalled) {
          connection.hold();
        }
      }
      connection.start();
    }
  }

  /** One client connection and, unless it was accepted during a stall, its upstream connection. */
  private final class Connection {
    final Socket client;
    volatile Socket server;
    volatile boolean held;

    Connection(Socket client) {
      this.client = client;
    }

    void hold() {
      held = true;
    }

    void start() {
      Thread t = new Thread(this::run, "proxy-" + name + "-conn");
      t.setDaemon(true);
      t.start();
    }

    private void run() {
      if (held) {
        drain(client);
        return;
      }
      try {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 2_000);
        server = s;
      } catch (IOException e) {
        close();
        return;
      }
      if (held) {
        drain(client);
        return;
      }
      Thread back = new Thread(() -> pipe(server, client, false), "proxy-" + name + "-back");
      back.setDaemon(true);
      back.start();
      pipe(client, server, true);
    }

    /**
     * Copies {@code from} to {@code to} until either ends; once held, reads and drops instead. The
     * client ending ends the connection; the upstream ending during a stall leaves the client
     * hanging, as a dependency that stopped answering would.
     */
    private void pipe(Socket from, Socket to, boolean fromClient) {
      byte[] buffer = new byte[BUFFER_BYTES];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          if (held) {
            continue;
          }
          out.write(buffer, 0, n);
          out.flush();
          forwarded.addAndGet(n);
        }
      } catch (IOException e) {
        // one side closed or reset: the connection is over
      }
      if (fromClient || !held) {
        close();
      }
    }

    /** A held connection: read and drop whatever the client sends until it gives up or the stall ends. */
    private void drain(Socket socket) {
      byte[] buffer = new byte[BUFFER_BYTES];
      try {
        InputStream in = socket.getInputStream();
        while (in.read(buffer) >= 0) {
          // dropped
        }
      } catch (SocketException e) {
        // closed when the stall ended
      } catch (IOException e) {
        // the client gave up
      }
      close();
    }

    void close() {
      open.remove(this);
      closeQuietly(client);
      Socket s = server;
      if (s != null) {
        closeQuietly(s);
      }
    }

    private void closeQuietly(Socket socket) {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
