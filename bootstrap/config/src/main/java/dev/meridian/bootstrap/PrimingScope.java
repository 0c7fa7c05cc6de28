package dev.meridian.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionFactory;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * What priming must not leave in a SnapStart snapshot, for the SDK clients of one function: the
 * connections it opened and the credentials it resolved. A snapshot is restored in many execution
 * environments, minutes or days later: a socket in it is dead or, worse, shared; credentials in it
 * are the publishing environment's, and expire.
 *
 * <p>The clients built with {@link AwsClients#forApi(software.amazon.awssdk.awscore.client.builder.AwsClientBuilder,
 * String, PrimingScope)} take their credentials and HTTP connections from here. {@link #run}
 * runs priming so that every connection it opens is closed after its response ({@code
 * Connection: close}, so the JDK keeps none alive), and drops the credentials afterwards: the
 * first call after the restore resolves them again, in the restored environment.
 */
public final class PrimingScope {
  /** Work that primes, e.g. requests through the real handler. */
  @FunctionalInterface
  public interface Priming {
    void run() throws Exception;
  }

  private final Supplier<? extends AwsCredentialsProvider> credentialsSource;
  private final boolean managed;
  private final Object lock = new Object();
  private volatile boolean closingConnections;
  private AwsCredentialsProvider credentials; // guarded by lock

  private PrimingScope(Supplier<? extends AwsCredentialsProvider> credentialsSource, boolean managed) {
    this.credentialsSource = Objects.requireNonNull(credentialsSource, "credentialsSource");
    this.managed = managed;
  }

  /** Lambda's: a fresh default credentials chain whenever the last one was dropped. */
  public static PrimingScope create() {
    return new PrimingScope(() -> DefaultCredentialsProvider.builder().build(), true);
  }

  /** A scope whose credentials come from {@code credentialsSource}, asked again after every {@link #run} (tests). */
  public static PrimingScope of(Supplier<? extends AwsCredentialsProvider> credentialsSource) {
    return new PrimingScope(credentialsSource, true);
  }

  /**
   * For clients built elsewhere (tests and tools that hand a wiring their own client): {@link #run}
   * only runs the priming, since these clients neither take connections nor credentials from here.
   */
  public static PrimingScope unmanaged() {
    return new PrimingScope(() -> {
      throw new IllegalStateException("an unmanaged priming scope provides no credentials");
    }, false);
  }

  /**
   * Runs {@code priming} with every connection closed after its response, then drops the resolved
   * credentials. Whatever priming throws is rethrown, after the cleanup.
   */
  public void run(Priming priming) throws Exception {
    closingConnections = managed;
    try {
      priming.run();
    } finally {
      closingConnections = false;
      forgetCredentials();
    }
  }

  /** Whether resolved credentials are held (by a provider that has been asked since the last {@link #run}). */
  public boolean holdsCredentials() {
    synchronized (lock) {
      return credentials != null;
    }
  }

  /** The clients' credentials: the current provider, created on first use after a {@link #run}. */
  AwsCredentialsProvider credentials() {
    return this::resolve;
  }

  /** The clients' connections: {@link HttpURLConnection}s with these timeouts, closed after each response in a {@link #run}. */
  UrlConnectionFactory connections(Duration connectTimeout, Duration readTimeout) {
    return uri -> open(uri, connectTimeout, readTimeout);
  }

  private HttpURLConnection open(URI uri, Duration connectTimeout, Duration readTimeout) {
    try {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
      connection.setReadTimeout(Math.toIntExact(readTimeout.toMillis()));
      if (closingConnections) {
        connection.setRequestProperty("Connection", "close");
      }
      return connection;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a connection to " + uri, e);
    }
  }

  private AwsCredentials resolve() {
    AwsCredentialsProvider current;
    synchronized (lock) {
      if (credentials == null) {
        credentials = credentialsSource.get();
      }
      current = credentials;
    }
    return current.resolveCredentials();
  }

  private void forgetCredentials() {
    AwsCredentialsProvider dropped;
    synchronized (lock) {
      dropped = credentials;
      credentials = null;
    }
    if (dropped instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }
}
