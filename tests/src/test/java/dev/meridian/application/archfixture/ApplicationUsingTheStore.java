package dev.meridian.application.archfixture;

import dev.meridian.adapter.dynamodb.TableDesign;

/** Breaks the architecture on purpose (ArchitectureRulesTest): a use case naming the table instead of a port. */
public final class ApplicationUsingTheStore {
  public Object table() {
    return TableDesign.createTableRequest("meridian");
  }
}
