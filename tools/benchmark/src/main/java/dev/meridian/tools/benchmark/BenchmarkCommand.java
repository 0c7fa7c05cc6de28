package dev.meridian.tools.benchmark;

import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.tools.benchmark.figures.Figures;
import java.util.Arrays;
import java.util.List;

/**
 * {@code tools/benchmark/run}: {@code cold-warm} (the functions' cold and warm starts against the
 * Spring Boot baseline, in one JVM run), {@code figures} (the local stack's start time, memory,
 * latencies, replication lag, convergence and failover) or {@code open-orders} (placement with K open
 * orders of the same product, issue #14) or {@code report-lines} (a deployed stack's REPORT lines as the same kind of
 * table, issue #18).
 */
public final class BenchmarkCommand {
  static final String USAGE = String.join("\n",
      "usage: tools/benchmark/run VERB [options]",
      "  cold-warm                              cold and warm starts of every function and the baseline; counts as",
      "                                         JVM options: MERIDIAN_BENCHMARK_OPTS='-Dmeridian.benchmark.coldStarts=5'",
      "  figures [--regions 2|3] [--out target/figures.json] [--use-running] [--phases memory,init,warm,lag,",
      "          convergence,failover] [--samples 20] [--init-starts 5] [--lag-samples 50] [--items 1000]",
      "                                         start a stack (or measure the running one) and measure start time,",
      "                                         memory, init and warm durations, replication lag, convergence after",
      "                                         a partition and failover at the default time factor (about 15 min)",
      "  open-orders [--open-orders 0,1000,10000] [--placements 200] [--warm-up 50] [--runs 3]",
      "          [--out target/open-orders-benchmark.json]",
      "                                         placement of 1 unit of a product with K open orders of it, through",
      "                                         the orders function's zip against moto (issue #14; about 5 min)",
      "  " + ReportLinesSettings.USAGE,
      "                                         cold starts (Init and Restore Duration), warm Duration and Max Memory",
      "                                         Used per function, from a deployed stack's REPORT lines (a Logs Insights",
      "                                         query) or a recorded log (issue #18)");

  private BenchmarkCommand() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || List.of("help", "--help", "-h").contains(args[0])) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (args[0]) {
      case "cold-warm" -> ColdWarmBenchmark.main(new String[0]);
      case "figures" -> System.exit(Figures.run(RepositoryRoot.path(), rest, System.out));
      // System.exit: moto's and the HTTP clients' threads must not keep the JVM alive once everything is closed.
      case "open-orders" -> System.exit(OpenOrdersBenchmark.run(RepositoryRoot.path(), rest, System.out));
      case "report-lines" -> System.exit(ReportLinesCommand.run(RepositoryRoot.path(), rest, System.out));
      default -> {
        System.err.println("unknown verb " + args[0] + "\n" + USAGE);
        System.exit(2);
      }
    }
  }
}
