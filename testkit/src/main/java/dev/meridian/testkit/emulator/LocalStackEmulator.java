package dev.meridian.testkit.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * One LocalStack container per JVM, started through Testcontainers ({@code -Plocalstack}). Unlike
 * moto it needs no serializing launcher: its DynamoDB applies conditional writes atomically.
 */
final class LocalStackEmulator implements Emulator, AutoCloseable {
  /**
   * Pinned: 4.14.0 is the last LocalStack release of the 4.x line, and the community image of
   * that line runs without an auth token (later images require one).
   */
  static final String IMAGE = "localstack/localstack:4.14.0";

  private static Optional<String> unavailable;

  private final LocalStackContainer container;
  private final StaticCredentialsProvider credentials;
  // One pool for every client, as MotoServer does. Set explicitly: the test classpath carries
  // more than one SDK HTTP implementation, and the SDK refuses to guess between them.
  private final SdkHttpClient httpClient = UrlConnectionHttpClient.create();
  private final HttpClient controlClient = HttpClient.newHttpClient();

  private LocalStackEmulator(LocalStackContainer container) {
    this.container = container;
    this.credentials = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey()));
  }

  /** Starts the container and waits until LocalStack is ready; the image is pulled on first use. */
  static LocalStackEmulator start() {
    LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE));
    // Published on loopback only, never on the machine's other interfaces.
    container.setPortBindings(List.of("127.0.0.1::4566"));
    container.start();
    return new LocalStackEmulator(container);
  }

  /**
   * Why {@link #start()} cannot work, as a test-skip message, or empty if it can. Asks
   * Testcontainers once per JVM.
   */
  static synchronized Optional<String> unavailableReason() {
    if (unavailable == null) {
      unavailable = DockerClientFactory.instance().isDockerAvailable()
          ? Optional.empty()
          : Optional.of("LocalStack profile: no Docker engine reachable (" + dockerLookedAt()
              + "); these ITs ran against moto in the default build");
    }
    return unavailable;
  }

  private static String dockerLookedAt() {
    String host = System.getenv("DOCKER_HOST");
    if (host != null && !host.isBlank()) {
      return "DOCKER_HOST=" + host + " does not answer";
    }
    Path socket = Path.of("/var/run/docker.sock");
    return Files.exists(socket) ? socket + " does not answer" : "DOCKER_HOST is unset and there is no " + socket;
  }

  @Override
  public String name() {
    return "LocalStack (" + IMAGE + ")";
  }

  @Override
  public URI endpoint() {
    return container.getEndpoint();
  }

  @Override
  public <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region) {
    if (builder instanceof SdkSyncClientBuilder<?, ?> sync) {
      sync.httpClient(httpClient);
    }
    return builder.endpointOverride(endpoint()).region(Region.of(region)).credentialsProvider(credentials);
  }

  /** LocalStack's own reset ({@code POST /_localstack/state/reset}): every service, every region. */
  @Override
  public void resetAll() {
    HttpRequest reset = HttpRequest.newBuilder(endpoint().resolve("/_localstack/state/reset"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
    try {
      HttpResponse<String> response = controlClient.send(reset, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("LocalStack reset answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("LocalStack reset failed at " + endpoint(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during LocalStack reset", e);
    }
  }

  /** Stops the container (Testcontainers' reaper removes it too if the JVM dies first). */
  @Override
  public void close() {
    httpClient.close();
    container.stop();
  }

  @Override
  public String toString() {
    return "LocalStackEmulator[" + IMAGE + " at " + endpoint() + "]";
  }
}
