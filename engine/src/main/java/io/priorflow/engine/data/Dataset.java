package io.priorflow.engine.data;

import io.priorflow.engine.json.Json;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A named set of data, sorted by id, with its {@link DataLineage}. Immutable.
 *
 * <p>The lineage's {@code sha256} is the {@linkplain #contentHash content hash} of the data and its {@code rows}
 * their count; the constructor checks both, so a dataset read back from JSON is the one that was written. The
 * hash covers every field of every datum (tokens, prompt boundary, provenance, labels) but not the dataset's
 * name or transforms: equal data have equal hashes under any name.
 *
 * @param lineage how the dataset was made
 * @param data    the data, sorted by id here; ids must be unique
 */
public record Dataset(DataLineage lineage, List<Datum> data) {

  private static final String ENCODING = "priorflow.dataset/1";

  /** Sorts the data by id and checks that ids are unique and that the lineage's hash and row count match. */
  public Dataset {
    if (lineage == null || data == null) {
      throw new IllegalArgumentException("A dataset needs a lineage and a data list, got " + lineage + " and "
          + (data == null ? "null" : data.size() + " data") + ".");
    }
    data = sortedUnique(lineage.name(), data);
    if (lineage.rows() != data.size()) {
      throw new IllegalArgumentException("Dataset " + lineage.name() + " has " + data.size()
          + " data but its lineage says rows = " + lineage.rows() + ".");
    }
    String hash = contentHash(data);
    if (!hash.equals(lineage.sha256())) {
      throw new IllegalArgumentException("Dataset " + lineage.name() + " has content SHA-256 " + hash
          + " but its lineage says " + lineage.sha256() + "; the data were changed or the file is corrupt.");
    }
  }

  /** A dataset of the data (any order) with its lineage computed. */
  public static Dataset of(String name, String source, List<Transform> transforms, List<Datum> data) {
    List<Datum> sorted = sortedUnique(name, data);
    return new Dataset(new DataLineage(name, source, contentHash(sorted), sorted.size(), transforms), sorted);
  }

  /** A dataset made directly by a stage, with no transforms. */
  public static Dataset of(String name, String source, List<Datum> data) {
    return of(name, source, List.of(), data);
  }

  /** The dataset's name. */
  public String name() {
    return lineage.name();
  }

  /** The number of data. */
  public int size() {
    return data.size();
  }

  /** Σ {@link Datum#signalTokens()}: the response tokens a model trains on. */
  public long signalTokens() {
    long n = 0;
    for (Datum d : data) {
      n += d.signalTokens();
    }
    return n;
  }

  private static List<Datum> sortedUnique(String name, List<Datum> data) {
    List<Datum> sorted = new ArrayList<>(data);
    sorted.sort(Comparator.comparing(Datum::id));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
        throw new IllegalArgumentException("Dataset " + name + " has two data with id " + sorted.get(i).id() + ".");
      }
    }
    return List.copyOf(sorted);
  }

  /**
   * The content SHA-256 of data already sorted by id, over this canonical big-endian encoding, as 64 lowercase
   * hex digits:
   * <pre>
   *   str("priorflow.dataset/1")  int(n)
   *   per datum:  str(id)  int(len) int×len tokens  int(responseStart)
   *               str(source) str(producerId) nstr(modelId) int(generation) int(#parents) str×#parents
   *               int(#labels)  per label: str(kind) long(doubleToLongBits(value)) str(labeller)
   *                                        str(labellerId) nstr(modelId) nstr(pairId)
   *   str(s)  = int(byte length) + UTF-8 bytes;  nstr(null) = int(−1);  enums as their lowercase JSON names
   * </pre>
   * A change of any token, label or provenance field changes the hash.
   */
  public static String contentHash(List<Datum> sortedData) {
    MessageDigest digest = Json.sha256();
    try (DataOutputStream out = new DataOutputStream(
        new BufferedOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), digest), 1 << 16))) {
      str(out, ENCODING);
      out.writeInt(sortedData.size());
      for (Datum d : sortedData) {
        str(out, d.id());
        int[] tokens = d.tokens(); // the record's own array: read only
        out.writeInt(tokens.length);
        for (int t : tokens) {
          out.writeInt(t);
        }
        out.writeInt(d.responseStart());
        Provenance p = d.provenance();
        str(out, p.source().key());
        str(out, p.producerId());
        nstr(out, p.modelId());
        out.writeInt(p.generation());
        out.writeInt(p.parentIds().size());
        for (String parent : p.parentIds()) {
          str(out, parent);
        }
        out.writeInt(d.labels().size());
        for (Label l : d.labels()) {
          str(out, l.kind().name().toLowerCase(Locale.ROOT));
          out.writeLong(Double.doubleToLongBits(l.value()));
          str(out, l.labeller().name().toLowerCase(Locale.ROOT));
          str(out, l.labellerId());
          nstr(out, l.modelId());
          nstr(out, l.pairId());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Hashing in memory cannot fail, but did.", e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void str(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void nstr(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
    } else {
      str(out, s);
    }
  }
}
