package dev.meridian.bootstrap.archfixture;

import dev.meridian.tools.local.Main;

/** Breaks the architecture on purpose (ArchitectureRulesTest): product code depending on a tool. */
public final class BootstrapUsingTheLocalStack {
  public Class<?> stack() {
    return Main.class;
  }
}
