package dev.meridian.tools.local.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local stack's development identity provider: the OIDC issuer the HTTP API's JWT
 * authorizer trusts when Meridian runs on one machine.
 *
 * <p>An RSA-2048 signing key is generated on first use and kept in a directory (by default
 * {@code .local-stack/jwt/}, file {@value #KEY_FILE}, a private JWK, owner-only), so tokens stay
 * valid across restarts of the stack. A started issuer listens on {@code 127.0.0.1:<port>}
 * (0 = a free port), its issuer URL is {@code http://127.0.0.1:<port>}, and it serves
 * {@code /.well-known/openid-configuration} and {@code /.well-known/jwks.json} like any OIDC
 * provider, so the authorizer finds its keys the way API Gateway finds Cognito's. It also records
 * its issuer URL and app clients in {@value #METADATA_FILE} beside the key, which is how
 * {@link TokenCommand} mints tokens for a running (or previously run) stack.
 *
 * <p>It mints tokens the way a Cognito user pool does for Meridian's three app clients
 * ({@link Clients}): access tokens are RS256 JWTs (header {@code kid}, {@code typ: JWT}) with
 * {@code iss}, {@code client_id} and no {@code aud} (API Gateway matches {@code client_id}
 * against an authorizer's audience), {@code sub}, {@code scope} (space-separated; left out when
 * there are no scopes), {@code iat}, {@code nbf}, {@code exp}, {@code jti},
 * {@code token_use: access}, and for a user {@code username} and, when it is in groups,
 * {@code cognito:groups} (a JSON array). {@link #customerToken} is a customer's
 * ({@value #CUSTOMER_SCOPE}), {@link #adminToken} an administrator's (the admin client,
 * {@value #ADMIN_SCOPE}, group {@value #ADMIN_GROUP}), {@link #operationsToken} the operations
 * client's client-credentials token (its {@code sub} is its client id, no groups).
 */
public final class DevIssuer implements AutoCloseable {

  /** The scope Meridian's admin routes require (template: {@code AuthorizationScopes: [meridian/admin]}). */
  public static final String ADMIN_SCOPE = "meridian/admin";
  /** The scope Meridian's customer routes require. */
  public static final String CUSTOMER_SCOPE = "meridian/customer";
  /** The template's default {@code AdminGroup}. */
  public static final String ADMIN_GROUP = "meridian-admins";
  /** Where Cognito lists a user's groups (the template's default {@code JwtGroupsClaim}). */
  public static final String GROUPS_CLAIM = "cognito:groups";

  /**
   * The app clients' ids: customer (the customer authorizer's audience), admin and operations
   * (the admin authorizer's).
   */
  public record Clients(String customer, String admin, String operations) {
    /** What the local stack configures. */
    public static final Clients LOCAL = new Clients("meridian-local-customer", "meridian-local-admin",
        "meridian-local-operations");

    public Clients {
      Objects.requireNonNull(customer, "customer");
      Objects.requireNonNull(admin, "admin");
      Objects.requireNonNull(operations, "operations");
    }
  }
  /** The signing key (private JWK JSON) inside the issuer's directory. */
  public static final String KEY_FILE = "signing-key.jwk.json";
  /** The issuer URL and app clients of the last started issuer, for {@link TokenCommand}. */
  public static final String METADATA_FILE = "issuer.json";
  public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
  public static final String JWKS_PATH = "/.well-known/jwks.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RSAKey key;
  private final String issuer;
  private final Clients clients;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Clock clock;

  private DevIssuer(RSAKey key, String issuer, Clients clients, HttpServer server, ExecutorService executor, Clock clock) {
    this.key = key;
    this.issuer = issuer;
    this.clients = clients;
    this.server = server;
    this.executor = executor;
    this.clock = clock;
  }

  /**
   * Starts the issuer: loads (or creates) the key in {@code directory}, listens on
   * {@code 127.0.0.1:port} and records {@value #METADATA_FILE}. Port 0 means the previous run's
   * port when it is free (the issuer URL, hence every token's {@code iss}, stays the same across
   * restarts, so tokens minted before a restart keep working), otherwise any free port.
   *
   * @param clients the app clients the template's authorizers take
   */
  public static DevIssuer start(Path directory, int port, Clients clients) throws IOException {
    Objects.requireNonNull(clients, "clients");
    RSAKey key = loadOrCreateKey(directory);
    HttpServer server = null;
    if (port == 0) {
      int previous = previousPort(directory);
      if (previous > 0) {
        try {
          server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), previous), 0);
        } catch (BindException e) {
          server = null; // taken by something else now: any free port
        }
      }
    }
    if (server == null) {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    }
    ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "meridian-dev-issuer");
      thread.setDaemon(true);
      return thread;
    });
    String issuer = "http://127.0.0.1:" + server.getAddress().getPort();
    DevIssuer devIssuer = new DevIssuer(key, issuer, clients, server, executor, Clock.systemUTC());
    server.createContext("/", devIssuer::serve);
    server.setExecutor(executor);
    server.start();
    try {
      writeMetadata(directory, new Metadata(issuer, clients));
    } catch (IOException | RuntimeException e) {
      devIssuer.close();
      throw e;
    }
    return devIssuer;
  }

  /** {@link #start} with the local stack's {@link Clients#LOCAL}. */
  public static DevIssuer start(Path directory, int port) throws IOException {
    return start(directory, port, Clients.LOCAL);
  }

  /**
   * An issuer that only signs (no server, nothing recorded): the key from {@code directory}
   * (created if missing), tokens naming {@code issuer} and {@code clients}. What
   * {@link TokenCommand} uses.
   */
  public static DevIssuer offline(Path directory, String issuer, Clients clients) throws IOException {
    return new DevIssuer(loadOrCreateKey(directory), Objects.requireNonNull(issuer, "issuer"),
        Objects.requireNonNull(clients, "clients"), null, null, Clock.systemUTC());
  }

  /** {@link #offline(Path, String, Clients)} with {@link Clients#LOCAL}. */
  public static DevIssuer offline(Path directory, String issuer) throws IOException {
    return offline(directory, issuer, Clients.LOCAL);
  }

  private static int previousPort(Path directory) {
    try {
      return readMetadata(directory).map(m -> URI.create(m.issuer()).getPort()).orElse(-1);
    } catch (IOException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** The issuer URL and app clients recorded by the last {@link #start}. */
  public record Metadata(String issuer, Clients clients) {}

  /** What the last started issuer recorded in {@code directory}, if anything. */
  public static Optional<Metadata> readMetadata(Path directory) throws IOException {
    Path file = directory.resolve(METADATA_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    var node = JSON.readTree(file.toFile());
    if (node == null || !node.path("issuer").isTextual() || !node.path("clients").path("customer").isTextual()
        || !node.path("clients").path("admin").isTextual() || !node.path("clients").path("operations").isTextual()) {
      throw new IOException(file + " is not a Meridian issuer record (an older stack's? start the stack again)");
    }
    JsonNode c = node.get("clients");
    return Optional.of(new Metadata(node.get("issuer").textValue(),
        new Clients(c.get("customer").textValue(), c.get("admin").textValue(), c.get("operations").textValue())));
  }

  /** {@code http://127.0.0.1:<port>}: the {@code iss} of every token, the authorizer's issuer. */
  public String issuer() {
    return issuer;
  }

  public Clients clients() {
    return clients;
  }

  /** The listening port, or -1 for an {@linkplain #offline offline} issuer. */
  public int port() {
    return server == null ? -1 : server.getAddress().getPort();
  }

  public URI discoveryUri() {
    return URI.create(issuer + DISCOVERY_PATH);
  }

  public URI jwksUri() {
    return URI.create(issuer + JWKS_PATH);
  }

  /** The signing key's id (its RFC 7638 thumbprint), the {@code kid} of every token. */
  public String keyId() {
    return key.getKeyID();
  }

  /** The public half of the signing key, as served at {@link #jwksUri()}. */
  public JWKSet publicKeys() {
    return new JWKSet(key.toPublicJWK());
  }

  /**
   * A JWT authorizer that trusts this issuer with its keys given directly (no HTTP); the
   * gateway can equally use {@link JwtAuthorizer#fromDiscovery} with {@link #issuer()}.
   */
  public JwtAuthorizer authorizer(List<String> audiences) {
    return JwtAuthorizer.withKeys(issuer, audiences, publicKeys());
  }

  /** A customer's token: the customer client, scopes {@code openid} and {@value #CUSTOMER_SCOPE}. */
  public String customerToken(String sub, Duration ttl) {
    return token(clients.customer(), sub, List.of("openid", CUSTOMER_SCOPE), List.of(), ttl, clock.instant());
  }

  /** An administrator's token: the admin client, scopes {@code openid} and {@value #ADMIN_SCOPE}, group {@value #ADMIN_GROUP}. */
  public String adminToken(String sub, Duration ttl) {
    return token(clients.admin(), sub, List.of("openid", ADMIN_SCOPE), List.of(ADMIN_GROUP), ttl, clock.instant());
  }

  /** The operations client's client-credentials token: {@code sub} = its client id, scope {@value #ADMIN_SCOPE}, no groups. */
  public String operationsToken(Duration ttl) {
    return token(clients.operations(), clients.operations(), List.of(ADMIN_SCOPE), List.of(), ttl, clock.instant());
  }

  /** A token of the customer client for {@code sub} with exactly {@code scopes}, valid from now for {@code ttl}. */
  public String token(String sub, List<String> scopes, Duration ttl) {
    return token(sub, scopes, ttl, clock.instant());
  }

  /** {@link #token(String, List, Duration)} issued at {@code issuedAt} ({@code nbf} = {@code iat}), expiring {@code ttl} later. */
  public String token(String sub, List<String> scopes, Duration ttl, Instant issuedAt) {
    return token(clients.customer(), sub, scopes, List.of(), ttl, issuedAt);
  }

  /**
   * An access token as Cognito mints one: app client {@code clientId} (in {@code client_id}, no
   * {@code aud}), {@code sub}, {@code scopes}, {@code groups} in {@value #GROUPS_CLAIM} (left out
   * when empty), a {@code username} for a user (not for a client-credentials token, whose
   * {@code sub} is the client id).
   */
  public String token(String clientId, String sub, List<String> scopes, List<String> groups, Duration ttl, Instant issuedAt) {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(sub, "sub");
    Instant iat = Instant.ofEpochSecond(issuedAt.getEpochSecond());
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(sub)
        .claim("client_id", clientId)
        .issueTime(Date.from(iat))
        .notBeforeTime(Date.from(iat))
        .expirationTime(Date.from(iat.plus(ttl)))
        .jwtID(UUID.randomUUID().toString())
        .claim("token_use", "access");
    if (!sub.equals(clientId)) {
      claims.claim("username", sub);
    }
    List<String> nonBlank = scopes.stream().filter(s -> s != null && !s.isBlank()).distinct().toList();
    if (!nonBlank.isEmpty()) {
      claims.claim("scope", String.join(" ", nonBlank));
    }
    List<String> groupList = groups.stream().filter(g -> g != null && !g.isBlank()).distinct().toList();
    if (!groupList.isEmpty()) {
      claims.claim(GROUPS_CLAIM, groupList);
    }
    return sign(claims.build());
  }

  /** Signs arbitrary claims with this issuer's key (header {@code kid}, RS256). For tests and drills. */
  public String sign(JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt.serialize();
  }

  /** Signs a claims map (values as in {@link JWTClaimsSet.Builder#claim}). */
  public String sign(Map<String, Object> claims) {
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
    claims.forEach(builder::claim);
    return sign(builder.build());
  }

  /** Stops the HTTP server (tokens already issued stay valid: the key is on disk). */
  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- HTTP

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      boolean get = "GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod());
      byte[] body;
      int status;
      if (!get) {
        status = 405;
        body = "{\"error\":\"method not allowed\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      } else if (DISCOVERY_PATH.equals(path)) {
        status = 200;
        body = JSON.writeValueAsBytes(discoveryDocument());
      } else if (JWKS_PATH.equals(path)) {
        status = 200;
        body = publicKeys().toString(true).getBytes(StandardCharsets.UTF_8);
      } else {
        status = 404;
        body = "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private ObjectNode discoveryDocument() {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("issuer", issuer);
    doc.put("jwks_uri", issuer + JWKS_PATH);
    doc.putArray("response_types_supported").add("token");
    doc.putArray("subject_types_supported").add("public");
    doc.putArray("id_token_signing_alg_values_supported").add("RS256");
    doc.putArray("token_endpoint_auth_methods_supported").add("none");
    doc.putArray("scopes_supported").add("openid").add(CUSTOMER_SCOPE).add(ADMIN_SCOPE);
    doc.putArray("claims_supported").add("iss").add("client_id").add("sub").add("username").add("scope").add(GROUPS_CLAIM)
        .add("iat").add("nbf").add("exp").add("jti").add("token_use");
    return doc;
  }

  // ---------------------------------------------------------------- key and metadata files

  static RSAKey loadOrCreateKey(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(KEY_FILE);
    if (!Files.exists(file)) {
      RSAKey generated;
      try {
        generated = new RSAKeyGenerator(2048)
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.RS256)
            .keyIDFromThumbprint(true)
            .generate();
      } catch (JOSEException e) {
        throw new IllegalStateException("RSA key generation failed", e);
      }
      Path temp = ownerOnlyTempFile(directory);
      try {
        Files.writeString(temp, generated.toJSONString(), StandardCharsets.UTF_8);
        try {
          // No REPLACE_EXISTING: if another process (a `token` command racing the stack) won,
          // its key stands and this one is dropped.
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file);
        }
      } catch (FileAlreadyExistsException e) {
        // Lost the race: read the winner's key below.
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    try {
      RSAKey key = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
      if (!key.isPrivate() || key.getKeyID() == null) {
        throw new IOException(file + " holds no private RSA signing key with a kid");
      }
      return key;
    } catch (ParseException e) {
      throw new IOException(file + " is not a JWK: " + e.getMessage(), e);
    }
  }

  private static void writeMetadata(Path directory, Metadata metadata) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("issuer", metadata.issuer());
    ObjectNode clientNode = node.putObject("clients");
    clientNode.put("customer", metadata.clients().customer());
    clientNode.put("admin", metadata.clients().admin());
    clientNode.put("operations", metadata.clients().operations());
    node.put("jwksUri", metadata.issuer() + JWKS_PATH);
    Path temp = Files.createTempFile(directory, ".issuer", ".tmp");
    try {
      Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
      try {
        Files.move(temp, directory.resolve(METADATA_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, directory.resolve(METADATA_FILE), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path ownerOnlyTempFile(Path directory) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return Files.createTempFile(directory, ".signing-key", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.createTempFile(directory, ".signing-key", ".tmp");
  }

  /** For tests: an issuer whose clock is {@code clock}. */
  DevIssuer withClock(Clock clock) {
    return new DevIssuer(key, issuer, clients, null, null, clock);
  }
}
