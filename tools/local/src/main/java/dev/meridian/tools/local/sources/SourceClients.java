package dev.meridian.tools.local.sources;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS endpoint (moto) the event sources talk to, with one shared HTTP connection pool. Each
 * source opens its own {@link Session}: SDK clients for one region whose HTTP requests are counted
 * and can be aborted, so that a source blocked in a 20 s SQS long poll stops at once on close.
 *
 * <p>Credentials are the dummy {@code test}/{@code test}: moto only needs a SigV4 header, whose
 * credential scope selects the region.
 */
public final class SourceClients implements AutoCloseable {

  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  private final URI endpoint;
  private final SdkHttpClient pool;

  /** Connects to {@code endpoint} (e.g. {@code MotoServer.endpoint()}). */
  public SourceClients(URI endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    // One connection per SQS long poll is held for up to 20 s; 64 leaves room for many queues.
    this.pool = Apache5HttpClient.builder().maxConnections(64).build();
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Clients for one source in {@code region}; the source closes it. */
  Session session(String region) {
    return new Session(region);
  }

  @Override
  public void close() {
    pool.close();
  }

  /** One source's clients: counted, abortable requests; closing it never closes the pool. */
  final class Session implements AutoCloseable {

    private final String region;
    private final TrackingHttpClient http = new TrackingHttpClient(pool);
    private volatile SqsClient sqs;
    private volatile DynamoDbStreamsClient streams;

    private Session(String region) {
      this.region = Objects.requireNonNull(region, "region");
    }

    synchronized SqsClient sqs() {
      if (sqs == null) {
        sqs = SqsClient.builder().httpClient(http).endpointOverride(endpoint)
            .region(Region.of(region)).credentialsProvider(CREDENTIALS).build();
      }
      return sqs;
    }

    synchronized DynamoDbStreamsClient streams() {
      if (streams == null) {
        streams = DynamoDbStreamsClient.builder().httpClient(http).endpointOverride(endpoint)
            .region(Region.of(region)).credentialsProvider(CREDENTIALS).build();
      }
      return streams;
    }

    /** HTTP requests sent so far (SDK retries included). */
    long calls() {
      return http.calls.get();
    }

    /** Aborts requests in flight and refuses new ones. */
    @Override
    public synchronized void close() {
      http.shutdown();
      if (sqs != null) {
        sqs.close();
      }
      if (streams != null) {
        streams.close();
      }
    }
  }

  /** Delegates to the shared pool; counts requests; {@link #shutdown()} aborts and refuses. */
  private static final class TrackingHttpClient implements SdkHttpClient {

    private final SdkHttpClient delegate;
    private final Set<ExecutableHttpRequest> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean shut = new AtomicBoolean();
    private final AtomicLong calls = new AtomicLong();

    TrackingHttpClient(SdkHttpClient delegate) {
      this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      ExecutableHttpRequest real = delegate.prepareRequest(request);
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          inFlight.add(real);
          try {
            if (shut.get()) { // checked after registering: shutdown() cannot miss this request
              throw AbortedException.create("event source closed"); // not retried by the SDK
            }
            calls.incrementAndGet();
            return real.call();
          } finally {
            inFlight.remove(real);
          }
        }

        @Override
        public void abort() {
          real.abort();
        }
      };
    }

    void shutdown() {
      shut.set(true);
      inFlight.forEach(ExecutableHttpRequest::abort);
    }

    @Override
    public String clientName() {
      return delegate.clientName();
    }

    @Override
    public void close() {
      // the SDK does not close a client it was given; the pool belongs to SourceClients
    }
  }
}
