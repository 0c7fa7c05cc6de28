package dev.meridian.adapter.http.archfixture;

import dev.meridian.adapter.dynamodb.TableDesign;

/** Breaks the architecture on purpose (ArchitectureRulesTest): one adapter using another. */
public final class HttpAdapterUsingTheStore {
  public Object table() {
    return TableDesign.createTableRequest("meridian");
  }
}
