package dev.meridian.tools.benchmark;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What {@code tools/benchmark/run open-orders} measures, from its options (defaults in brackets): {@code --open-orders}
 * [0,1000,10000] the open orders of the ordered product per series (0 must be one: the others are read against it),
 * {@code --placements} [200] measured placements per series, {@code --warm-up} [50] unmeasured placements before the
 * first run, {@code --runs} [3] runs of every series, {@code --out} [target/open-orders-benchmark.json, relative to
 * the working directory].
 */
record OpenOrdersSettings(List<Integer> openOrders, int placements, int warmUp, int runs, Path output) {
  static final String USAGE = "open-orders [--open-orders 0,1000,10000] [--placements 200] [--warm-up 50] [--runs 3]"
      + " [--out target/open-orders-benchmark.json]";

  OpenOrdersSettings {
    openOrders = openOrders.stream().sorted().distinct().toList();
    if (openOrders.isEmpty() || openOrders.get(0) != 0) {
      throw new IllegalArgumentException("--open-orders must include 0, the series the others are compared with");
    }
    if (placements < 1 || runs < 1 || warmUp < 0) {
      throw new IllegalArgumentException("--placements and --runs must be at least 1, --warm-up at least 0");
    }
  }

  static OpenOrdersSettings parse(List<String> args) {
    for (int i = 0; i < args.size(); i += 2) {
      if (!List.of("--open-orders", "--placements", "--warm-up", "--runs", "--out").contains(args.get(i))
          || i + 1 == args.size()) {
        throw new IllegalArgumentException("usage: " + USAGE);
      }
    }
    List<Integer> openOrders = option(args, "--open-orders")
        .map(list -> Arrays.stream(list.split(",")).map(n -> whole("--open-orders", n)).toList())
        .orElse(List.of(0, 1_000, 10_000));
    return new OpenOrdersSettings(openOrders,
        option(args, "--placements").map(n -> whole("--placements", n)).orElse(200),
        option(args, "--warm-up").map(n -> whole("--warm-up", n)).orElse(50),
        option(args, "--runs").map(n -> whole("--runs", n)).orElse(3),
        Path.of(option(args, "--out").orElse("target/open-orders-benchmark.json")));
  }

  /** The series the targets compare with the one without open orders. */
  int mostOpenOrders() {
    return openOrders.get(openOrders.size() - 1);
  }

  private static Optional<String> option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
  }

  private static int whole(String name, String value) {
    try {
      int n = Integer.parseInt(value.trim().replace("_", ""));
      if (n < 0) {
        throw new IllegalArgumentException(name + " must not be negative, was " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be whole numbers, was '" + value + "'", e);
    }
  }
}
