package io.priorflow.engine.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code @param} lines of a record's Javadoc, read from its source file: the descriptions that
 * {@link ScenarioSchema} puts on the schema's properties, so that a field is documented once, where it is declared.
 * Only for generating the committed schema (in the source tree, by a test or {@link ScenarioSchema#main}); the
 * source root is engine/src/main/java, found from the working directory or given as {@code -Dpf.sourceRoot}.
 *
 * <p>A record whose Javadoc lists its fields as {@code <li>{@code name} — text</li>} (the world's configs) is read
 * the same way. Text is made plain: {@code {@code x}} and {@code {@link a.B#c label}} become {@code x} and {@code label} (or
 * {@code B#c}), HTML entities and tags are undone, and whitespace collapses to single spaces.
 */
final class ParamDocs {

  private static final Map<Class<?>, Map<String, String>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private ParamDocs() {}

  /** Component name → its description, for a record of the engine module (empty when none is written). */
  static Map<String, String> of(Class<?> record) {
    return CACHE.computeIfAbsent(record, ParamDocs::read);
  }

  private static final Map<Class<?>, String> CLASS_DOCS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The first sentence of the record's Javadoc, plain (empty when none). */
  static String classDoc(Class<?> record) {
    of(record);
    return CLASS_DOCS.getOrDefault(record, "");
  }

  private static Map<String, String> read(Class<?> record) {
    String name = record.getName();
    String top = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
    Path file = root().resolve(top.replace('.', '/') + ".java");
    String src;
    try {
      src = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("ScenarioSchema reads the records' @param docs from the sources; cannot read "
          + file, e);
    }
    Matcher decl = Pattern.compile("\\brecord\\s+" + Pattern.quote(record.getSimpleName()) + "\\s*[(<]").matcher(src);
    if (!decl.find()) {
      throw new IllegalStateException(file + ": no declaration of record " + record.getSimpleName());
    }
    int end = src.lastIndexOf("*/", decl.start());
    int start = src.lastIndexOf("/**", decl.start());
    Map<String, String> out = new LinkedHashMap<>();
    if (start < 0 || end < start || !src.substring(end + 2, decl.start()).matches("(?s)\\s*(@[\\w.]+(\\([^)]*\\))?\\s*"
        + "|public\\s+|static\\s+|final\\s+)*")) {
      return out; // no Javadoc right before the declaration
    }
    StringBuilder text = new StringBuilder();
    for (String line : src.substring(start + 3, end).split("\n")) {
      text.append(line.replaceFirst("^\\s*\\*? ?", "")).append('\n');
    }
    String body = values(record, text.toString());
    int tags = body.indexOf("\n@");
    String lead = plain(tags < 0 ? body : body.substring(0, tags));
    Matcher sentence = Pattern.compile("^(.+?\\.)(?=\\s+[A-Z(]|$)").matcher(lead);
    CLASS_DOCS.put(record, sentence.find() ? sentence.group(1) : lead);
    Matcher p = Pattern.compile("(?s)@param\\s+(\\w+)\\s+(.*?)(?=\\n\\s*@\\w|$)").matcher(body);
    while (p.find()) {
      out.put(p.group(1), plain(p.group(2)));
    }
    // The world's records list their fields as <li>{@code name} — text</li> instead.
    Matcher li = Pattern.compile("(?s)<li>\\s*\\{@code\\s+(\\w+)}\\s*(?:—|--|-|:)\\s*(.*?)</li>").matcher(body);
    while (li.find()) {
      out.putIfAbsent(li.group(1), plain(li.group(2)));
    }
    return out;
  }

  /** {@code {@value #NAME}} replaced by the record's static field NAME. */
  private static String values(Class<?> record, String text) {
    Matcher m = Pattern.compile("\\{@value\\s+#(\\w+)}").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v;
      try {
        java.lang.reflect.Field f = record.getDeclaredField(m.group(1));
        f.setAccessible(true);
        v = String.valueOf(f.get(null));
      } catch (ReflectiveOperationException | RuntimeException e) {
        v = m.group(1);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    return m.appendTail(out).toString();
  }

  /** Javadoc text as plain text. */
  static String plain(String javadoc) {
    String s = javadoc.replaceAll("\\{@(?:code|literal)\\s+([^}]*)}", "$1");
    s = s.replaceAll("\\{@link(?:plain)?\\s+[^}\\s]+\\s+([^}]+)}", "$1");
    s = s.replaceAll("\\{@link(?:plain)?\\s+(?:[\\w.]*\\.)?([\\w#()., ]+)}", "$1");
    s = s.replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    return s.replaceAll("\\s+", " ").trim();
  }

  private static Path root() {
    String given = System.getProperty("pf.sourceRoot");
    if (given != null) {
      return Path.of(given);
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      for (Path candidate : new Path[] {d.resolve("src/main/java/io/priorflow/engine"),
          d.resolve("engine/src/main/java/io/priorflow/engine")}) {
        if (Files.isDirectory(candidate)) {
          return candidate.getParent().getParent().getParent();
        }
      }
    }
    throw new IllegalStateException("ScenarioSchema needs the engine's sources (engine/src/main/java) to read the "
        + "records' @param docs; run it in the source tree or set -Dpf.sourceRoot.");
  }
}
