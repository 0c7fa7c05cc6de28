package dev.meridian.tools.local.replication;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Global-table replication between the local regions' replicas, the way DynamoDB global tables
 * (multi-region eventual consistency) behave: asynchronous, item-level last-writer-wins,
 * one link per ordered region pair with its own delay and partition state.
 *
 * <p>How: one {@link StreamTail} per region reads that replica's stream. A record that is not the
 * echo of a write this hub made is a local write: it is stamped (observation time, a global
 * sequence, the region) and queued on the link to every peer. A {@link Link} delivers after its
 * one-way delay, unless paused (partition or failed region); the write is applied to the peer
 * replica only if its stamp beats the stamp of the peer's current version (last writer wins),
 * otherwise dropped. Stamps live in this hub's memory, never in items, so no read returns them.
 * If a local write lands in a replica just before an older replicated write overwrites it, the
 * replica's stream shows the local write then the echo; the hub then re-applies the newer
 * version (repair), so replicas still converge.
 */
public final class ReplicationHub implements AutoCloseable {
  private final String tableName;
  private final List<String> regions;
  private final Map<String, ReplicaState> replicas = new LinkedHashMap<>();
  private final Map<String, Link> links = new LinkedHashMap<>();
  private final List<StreamTail> tails = new ArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Consumer<String> log;
  private final Map<String, DynamoDbClient> clients = new HashMap<>();
  private final Map<String, DynamoDbStreamsClient> streamClients = new HashMap<>();

  public ReplicationHub(URI endpoint, String tableName, List<String> regions, RegionLatency latency,
      Duration jitter, Consumer<String> log) {
    this.tableName = tableName;
    this.regions = List.copyOf(regions);
    this.log = log;
    for (String region : regions) {
      DynamoDbClient client = DynamoDbClient.builder().region(Region.of(region)).endpointOverride(endpoint)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
      clients.put(region, client);
      streamClients.put(region, DynamoDbStreamsClient.builder().region(Region.of(region)).endpointOverride(endpoint)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build());
      replicas.put(region, new ReplicaState(region, client, tableName));
    }
    for (String from : regions) {
      for (String to : regions) {
        if (!from.equals(to)) {
          links.put(linkName(from, to), new Link(from, to, latency.oneWay(from, to), jitter, replicas.get(to), log));
        }
      }
    }
  }

  public void start() {
    for (String region : regions) {
      StreamTail tail = new StreamTail(region, clients.get(region), streamClients.get(region), tableName,
          record -> onLocalOrEcho(region, record), log);
      tails.add(tail);
      tail.start();
    }
    links.values().forEach(Link::start);
  }

  private void onLocalOrEcho(String region, StreamTail.Change change) {
    ReplicaState replica = replicas.get(region);
    // The replica's own write time orders concurrent writes, as the hidden timestamp of a global table does.
    Replication local = replica.observe(change, () -> new Stamp(change.createdAtMillis(), sequence.incrementAndGet(), region));
    if (local == null) {
      return; // an echo of a replicated write (repairs are handled inside the replica state)
    }
    for (String peer : regions) {
      if (!peer.equals(region)) {
        links.get(linkName(region, peer)).enqueue(local);
      }
    }
  }

  /** Stops replication between {@code a} and {@code b} in both directions; writes queue until {@link #heal}. */
  public void partition(String a, String b) {
    link(a, b).pause(Link.Pause.PARTITION, true);
    link(b, a).pause(Link.Pause.PARTITION, true);
  }

  public void heal(String a, String b) {
    link(a, b).pause(Link.Pause.PARTITION, false);
    link(b, a).pause(Link.Pause.PARTITION, false);
  }

  /** Sets the one-way delay of both directions between {@code a} and {@code b}. */
  public void delay(String a, String b, Duration oneWay) {
    link(a, b).setDelay(oneWay);
    link(b, a).setDelay(oneWay);
  }

  /** A failed region neither sends nor receives: its unreplicated writes stay queued until {@link #recover}. */
  public void fail(String region) {
    links.values().stream().filter(l -> l.touches(region)).forEach(l -> l.pause(Link.Pause.FAILED, true));
  }

  public void recover(String region) {
    links.values().stream().filter(l -> l.touches(region)).forEach(l -> l.pause(Link.Pause.FAILED, false));
  }

  public List<Link.Status> status() {
    return links.values().stream().map(Link::status).toList();
  }

  /** Total writes waiting on every link: zero means every replica has seen every write. */
  public long backlog() {
    return links.values().stream().mapToLong(l -> l.status().backlog()).sum();
  }

  private Link link(String from, String to) {
    Link link = links.get(linkName(from, to));
    if (link == null) {
      throw new IllegalArgumentException("no replication link " + from + " -> " + to + "; regions are " + regions);
    }
    return link;
  }

  private static String linkName(String from, String to) {
    return from + "->" + to;
  }

  @Override
  public void close() {
    tails.forEach(StreamTail::close);
    links.values().forEach(Link::close);
    clients.values().forEach(DynamoDbClient::close);
    streamClients.values().forEach(DynamoDbStreamsClient::close);
  }

  /** Jitter for a delay: uniform in ±jitter. */
  static long jittered(long millis, Duration jitter) {
    long j = jitter.toMillis();
    return Math.max(0, millis + (j == 0 ? 0 : ThreadLocalRandom.current().nextLong(-j, j + 1)));
  }
}
