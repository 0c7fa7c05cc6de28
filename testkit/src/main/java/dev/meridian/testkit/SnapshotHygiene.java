package dev.meridian.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What a SnapStart checkpoint hook leaves behind, measured from outside: the writes it made to a
 * table (every record of the table's stream, so a write that changes nothing counts too) and the
 * TCP connections this JVM still holds open to an endpoint.
 */
public final class SnapshotHygiene {
  private static final String ESTABLISHED = "01";

  private SnapshotHygiene() {}

  /** The records in {@code table}'s stream, all shards, from their start. */
  public static long tableWrites(DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, String table) {
    String streamArn = dynamoDb.describeTable(r -> r.tableName(table)).table().latestStreamArn();
    if (streamArn == null) {
      throw new IllegalStateException("table " + table + " has no stream to count its writes");
    }
    long records = 0;
    for (Shard shard : streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards()) {
      String iterator = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      while (iterator != null) {
        String from = iterator;
        var page = streams.getRecords(r -> r.shardIterator(from));
        List<Record> batch = page.records();
        records += batch.size();
        iterator = batch.isEmpty() ? null : page.nextShardIterator();
      }
    }
    return records;
  }

  /**
   * The TCP connections of this process in state ESTABLISHED to {@code endpoint}'s port (Linux:
   * its socket descriptors matched against {@code /proc/net/tcp} and {@code tcp6}).
   *
   * @throws IllegalStateException where {@code /proc} does not describe them (not Linux)
   */
  public static int openConnections(URI endpoint) {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      throw new IllegalStateException("/proc/self/fd is missing: open connections can be counted on Linux only");
    }
    Set<String> sockets = new HashSet<>();
    try (Stream<Path> links = Files.list(fds)) {
      for (Path link : links.toList()) {
        try {
          String target = Files.readSymbolicLink(link).toString();
          if (target.startsWith("socket:[")) {
            sockets.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // a descriptor closed while listing: not open
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String port = String.format(Locale.ROOT, "%04X", endpoint.getPort());
    int open = 0;
    for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      try {
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
          String[] fields = line.trim().split("\\s+");
          String remotePort = fields[2].substring(fields[2].indexOf(':') + 1);
          if (remotePort.equals(port) && fields[3].equals(ESTABLISHED) && sockets.contains(fields[9])) {
            open++;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return open;
  }
}
