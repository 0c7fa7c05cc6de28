package dev.meridian.tests.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the figures were measured on; the load averages say how busy the (shared) machine was. */
record Machine(int cores, String cpu, double memoryGiB, String jdk, String os, String loadAverage) {

  static Machine current() {
    return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), totalMemoryGiB(),
        System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        loadAverageNow());
  }

  /** The 1, 5 and 15 minute load averages, e.g. {@code 0.52 0.61 0.70}, or "unknown" off Linux. */
  static String loadAverageNow() {
    List<String> line = lines(Path.of("/proc/loadavg"));
    if (line.isEmpty()) {
      return "unknown";
    }
    String[] fields = line.get(0).trim().split("\\s+");
    return fields.length < 3 ? "unknown" : fields[0] + " " + fields[1] + " " + fields[2];
  }

  String describe() {
    return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB, %s, %s", cores, cpu, memoryGiB, jdk, os);
  }

  private static String cpuModel() {
    return lines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
  }

  private static double totalMemoryGiB() {
    return lines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0).orElse(0.0);
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
