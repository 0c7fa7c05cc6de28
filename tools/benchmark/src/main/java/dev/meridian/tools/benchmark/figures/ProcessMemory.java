package dev.meridian.tools.benchmark.figures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Resident memory of a process tree, read from {@code /proc} (Linux). */
final class ProcessMemory {
  /** One process: what it is in the stack and its resident set size. */
  record Entry(long pid, String kind, String name, long rssKb) {}

  private ProcessMemory() {}

  /** Every live process of the tree rooted at {@code rootPid}, the root first. */
  static List<Entry> tree(long rootPid) {
    ProcessHandle root = ProcessHandle.of(rootPid).orElseThrow(() -> new IllegalStateException("no process " + rootPid));
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root);
    all.addAll(root.descendants().toList());
    List<Entry> out = new ArrayList<>();
    for (ProcessHandle h : all) {
      long rss = rssKb(h.pid());
      if (rss < 0) {
        continue; // exited meanwhile
      }
      String command = h.info().commandLine().orElse(h.info().command().orElse("?"));
      String kind;
      String name;
      if (command.contains("dev.meridian.tools.local.Main")) {
        kind = "stack JVM";
        name = "local stack";
      } else if (command.contains("AWSLambda")) {
        kind = "function JVM";
        name = environment(h.pid(), "AWS_LAMBDA_FUNCTION_NAME").orElse("function " + h.pid());
      } else if (command.contains("moto")) {
        kind = "emulator";
        name = "moto";
      } else {
        kind = "other";
        name = command.length() > 80 ? command.substring(0, 80) : command;
      }
      out.add(new Entry(h.pid(), kind, name, rss));
    }
    return out;
  }

  /** {@code VmRSS} of a process in kB, or -1 if it is gone. */
  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").trim());
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static Optional<String> environment(long pid, String name) {
    try {
      String env = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
      for (String entry : env.split("\0")) {
        if (entry.startsWith(name + "=")) {
          return Optional.of(entry.substring(name.length() + 1));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not readable: fall back to the pid
    }
    return Optional.empty();
  }

  /** Totals per kind in MB (1 MB = 1024 kB) plus the overall total, for the report. */
  static Map<String, Object> summary(List<Entry> entries) {
    Map<String, Object> out = new LinkedHashMap<>();
    long total = entries.stream().mapToLong(Entry::rssKb).sum();
    out.put("totalMb", Samples.round(total / 1024.0));
    for (String kind : List.of("stack JVM", "emulator", "function JVM", "other")) {
      List<Entry> ofKind = entries.stream().filter(e -> e.kind().equals(kind)).toList();
      if (!ofKind.isEmpty()) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("processes", ofKind.size());
        k.put("mb", Samples.round(ofKind.stream().mapToLong(Entry::rssKb).sum() / 1024.0));
        out.put(kind, k);
      }
    }
    List<Map<String, Object>> processes = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("pid", e.pid());
      p.put("kind", e.kind());
      p.put("name", e.name());
      p.put("rssMb", Samples.round(e.rssKb() / 1024.0));
      processes.add(p);
    }
    out.put("processes", processes);
    return out;
  }
}
