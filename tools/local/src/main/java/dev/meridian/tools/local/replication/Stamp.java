package dev.meridian.tools.local.replication;

/** The replication timestamp of one version of an item: when its replica wrote it, a global sequence (ties), the origin region. */
record Stamp(long writtenAtMillis, long sequence, String region) implements Comparable<Stamp> {
  @Override
  public int compareTo(Stamp o) {
    int c = Long.compare(writtenAtMillis, o.writtenAtMillis);
    if (c != 0) {
      return c;
    }
    c = Long.compare(sequence, o.sequence);
    return c != 0 ? c : region.compareTo(o.region);
  }
}
