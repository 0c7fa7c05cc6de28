package dev.meridian.application.replication;

import java.util.Optional;

/**
 * The publisher's input port: one record of this region's table change stream, as the adapter that
 * owns the table's item format reads it, in whatever form the stream delivers records ({@code R}).
 */
@FunctionalInterface
public interface ChangeStreamReader<R> {
  /**
   * @return the change the record carries, or empty when it carries none to publish (a removal,
   *     an entity that is not published)
   * @throws UnreadableChangeException when the record's new image does not decode
   */
  Optional<StoredChange> read(R record);
}
