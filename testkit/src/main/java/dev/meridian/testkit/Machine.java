package dev.meridian.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine a figure was measured on, the one description every benchmark, drill and report
 * prints: figures only mean something next to it, and the load averages say how busy the (shared)
 * machine was.
 */
public record Machine(int cores, String cpu, double memoryGiB, String jdk, String os, String loadAverage) {

  public static Machine current() {
    return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), totalMemoryGiB(),
        System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        loadAverageNow());
  }

  /** The 1, 5 and 15 minute load averages, e.g. {@code 0.52 0.61 0.70}, or "unknown" off Linux. */
  public static String loadAverageNow() {
    List<String> line = lines(Path.of("/proc/loadavg"));
    if (line.isEmpty()) {
      return "unknown";
    }
    String[] fields = line.get(0).trim().split("\\s+");
    return fields.length < 3 ? "unknown" : fields[0] + " " + fields[1] + " " + fields[2];
  }

  public String describe() {
    return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB, %s, %s", cores, cpu, memoryGiB, jdk, os);
  }

  /** For a JSON report: cores, cpu, memoryGiB, jdk, os and the load average now as {@code loadAverage}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", cores);
    m.put("cpu", cpu);
    m.put("memoryGiB", Math.round(memoryGiB * 10) / 10.0);
    m.put("jdk", jdk);
    m.put("os", os);
    m.put("loadAverage", loadAverage);
    return m;
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
