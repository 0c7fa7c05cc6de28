package dev.meridian.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.testkit.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in the Markdown files Git tracks resolves: the file or folder exists, and an
 * anchor into a Markdown file names one of its headings (GitHub's slugs). Documentation that moves
 * with the code breaks silently otherwise; a rendered page shows no error for a dead link.
 */
class MarkdownLinksTest {
  /** An inline link or image, {@code [text](target)} or {@code [text](target "title")}. */
  private static final Pattern INLINE_LINK = Pattern.compile("\\]\\(\\s*(<[^>]*>|[^)\\s]+)(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
  /** A reference-style definition, {@code [label]: target}; footnotes ({@code [^1]:}) are not links. */
  private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[([^\\]^][^\\]]*)\\]:\\s*(<[^>]*>|\\S+)");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
  /** A code span: a run of backticks up to the next run of the same length. */
  private static final Pattern CODE_SPAN = Pattern.compile("(?<!`)(`+)(?!`).*?(?<!`)\\1(?!`)");
  private static final Pattern LINK_TEXT = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");
  private static final Set<String> NOT_WALKED = Set.of("target", ".git", "node_modules");

  @Test
  void everyRelativeLinkInTheTrackedMarkdownResolves() throws IOException, InterruptedException {
    Path root = RepositoryRoot.path();
    List<String> broken = new ArrayList<>();
    for (Path file : markdownFiles(root)) {
      broken.addAll(brokenLinks(file, Files.readString(file), root));
    }
    assertThat(broken).as("broken relative links in Markdown (file:line -> target)").isEmpty();
  }

  /** The checker must be able to fail: a missing file and a missing heading are both reported, and nothing else. */
  @Test
  void aMissingFileAndAMissingAnchorAreBothReported(@TempDir Path root) throws IOException {
    Files.writeString(root.resolve("guide.md"), "# Getting started\n\n## The `fast` build (JDK 25)\n");
    Files.createDirectories(root.resolve("docs"));
    String text = String.join("\n",
        "# Notes",
        "[ok](../guide.md#the-fast-build-jdk-25) [ok](../guide.md) [ok](#notes) [ok](../docs/) [web](https://example.com)",
        "[gone](missing.md)",
        "[guide]: ../guide.md#setup",
        "```bash",
        "[not a link](inside-a-fence.md)",
        "```",
        "`[not a link](in-code.md)`",
        "[start]: ../guide.md#getting-started");
    assertThat(brokenLinks(root.resolve("docs/notes.md"), text, root))
        .containsExactly("docs/notes.md:3 -> missing.md", "docs/notes.md:4 -> ../guide.md#setup");
  }

  /** Every broken relative link of {@code text}, the content of {@code file}, as {@code file:line -> target}. */
  static List<String> brokenLinks(Path file, String text, Path root) throws IOException {
    List<String> broken = new ArrayList<>();
    String name = root.relativize(file).toString().replace('\\', '/');
    List<String> lines = text.lines().toList();
    List<String> prose = proseLines(lines);
    for (int i = 0; i < prose.size(); i++) {
      String line = CODE_SPAN.matcher(prose.get(i)).replaceAll("");
      List<String> targets = new ArrayList<>();
      Matcher definition = DEFINITION.matcher(line);
      if (definition.find()) {
        targets.add(definition.group(2));
      }
      Matcher link = INLINE_LINK.matcher(line);
      while (link.find()) {
        targets.add(link.group(1));
      }
      for (String target : targets) {
        if (!resolves(file, lines, target.replaceAll("^<|>$", ""), root)) {
          broken.add(name + ":" + (i + 1) + " -> " + target);
        }
      }
    }
    return broken;
  }

  /** The lines with fenced code blanked out (kept, so that line numbers stay right). */
  private static List<String> proseLines(List<String> lines) {
    List<String> prose = new ArrayList<>();
    String fence = null;
    for (String line : lines) {
      Matcher marker = FENCE.matcher(line);
      boolean isMarker = marker.find();
      if (isMarker && fence == null) {
        fence = marker.group(1);
      } else if (isMarker && marker.group(1).charAt(0) == fence.charAt(0) && marker.group(1).length() >= fence.length()) {
        fence = null;
      }
      prose.add(fence != null || isMarker ? "" : line);
    }
    return prose;
  }

  private static boolean resolves(Path file, List<String> fileLines, String target, Path root) throws IOException {
    if (target.matches("(?i)(https?|mailto):.*")) {
      return true;
    }
    int hash = target.indexOf('#');
    String path = (hash < 0 ? target : target.substring(0, hash)).replaceAll("\\?.*", "").replace("%20", " ");
    String anchor = hash < 0 ? "" : target.substring(hash + 1);
    Path resolved = path.isEmpty() ? file : (path.startsWith("/") ? root.resolve(path.substring(1)) : file.resolveSibling(path));
    resolved = resolved.normalize();
    if (!path.isEmpty() && (!resolved.startsWith(root.normalize()) || !Files.exists(resolved))) {
      return false;
    }
    if (anchor.isEmpty() || !resolved.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".md")) {
      return true;
    }
    // A link into its own file is checked against the text given, which need not be on disk.
    List<String> lines = path.isEmpty() ? fileLines : Files.readString(resolved, StandardCharsets.UTF_8).lines().toList();
    return anchors(lines).contains(anchor);
  }

  /** GitHub's heading anchors: the text lowercased, punctuation but '-' and '_' dropped, spaces to '-'; repeats get -1, -2... */
  static Set<String> anchors(List<String> lines) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : proseLines(lines)) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String text = LINK_TEXT.matcher(heading.group(1)).replaceAll("$1").toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder();
        text.codePoints().filter(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == ' ')
            .forEach(c -> slug.appendCodePoint(c == ' ' ? '-' : c));
        int repeats = seen.merge(slug.toString(), 1, Integer::sum) - 1;
        anchors.add(repeats == 0 ? slug.toString() : slug + "-" + repeats);
      }
    }
    return anchors;
  }

  /** The Markdown files Git tracks; without Git (a source archive), every one under the root but build output. */
  private static List<Path> markdownFiles(Path root) throws IOException, InterruptedException {
    Process git = null;
    try {
      git = new ProcessBuilder("git", "ls-files", "-z", "*.md").directory(root.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException noGit) {
      // No git on this machine: walk the tree below.
    }
    if (git != null) {
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (git.waitFor() == 0) {
        // The index may still list a file the work tree has just deleted or moved.
        return Stream.of(out.split("\0")).filter(s -> !s.isEmpty()).map(root::resolve).filter(Files::isRegularFile).toList();
      }
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(f -> f.getFileName().toString().endsWith(".md"))
          .filter(f -> Stream.of(root.relativize(f).toString().split("/")).noneMatch(NOT_WALKED::contains)).toList();
    }
  }
}
