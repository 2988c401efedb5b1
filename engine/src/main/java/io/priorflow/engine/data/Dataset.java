package io.priorflow.engine.data;

import io.priorflow.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.RandomAccess;

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
    String hash;
    if (data instanceof Hashed h) { // from of(), which sorted, checked and hashed these data a moment ago
      hash = h.sha256;
      data = h.sorted;
    } else {
      data = sortedUnique(lineage.name(), data);
      hash = contentHash(data);
    }
    if (lineage.rows() != data.size()) {
      throw new IllegalArgumentException("Dataset " + lineage.name() + " has " + data.size()
          + " data but its lineage says rows = " + lineage.rows() + ".");
    }
    if (!hash.equals(lineage.sha256())) {
      throw new IllegalArgumentException("Dataset " + lineage.name() + " has content SHA-256 " + hash
          + " but its lineage says " + lineage.sha256() + "; the data were changed or the file is corrupt.");
    }
  }

  /** A dataset of the data (any order) with its lineage computed. */
  public static Dataset of(String name, String source, List<Transform> transforms, List<Datum> data) {
    List<Datum> sorted = sortedUnique(name, data);
    String hash = contentHash(sorted);
    return new Dataset(new DataLineage(name, source, hash, sorted.size(), transforms), new Hashed(sorted, hash));
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
    Encoder out = new Encoder(Json.sha256());
    out.str(ENCODING);
    out.i32(sortedData.size());
    for (Datum d : sortedData) {
      out.str(d.id());
      int[] tokens = d.tokens(); // the record's own array: read only
      out.i32(tokens.length);
      for (int t : tokens) {
        out.i32(t);
      }
      out.i32(d.responseStart());
      Provenance p = d.provenance();
      out.str(p.source().key());
      out.str(p.producerId());
      out.nstr(p.modelId());
      out.i32(p.generation());
      out.i32(p.parentIds().size());
      for (String parent : p.parentIds()) {
        out.str(parent);
      }
      out.i32(d.labels().size());
      for (Label l : d.labels()) {
        out.str(l.kind().name().toLowerCase(Locale.ROOT));
        out.i64(Double.doubleToLongBits(l.value()));
        out.str(l.labeller().name().toLowerCase(Locale.ROOT));
        out.str(l.labellerId());
        out.nstr(l.modelId());
        out.nstr(l.pairId());
      }
    }
    return HexFormat.of().formatHex(out.digest());
  }

  /**
   * {@link #contentHash}'s encoding, big-endian, into a buffer that goes to the digest 64 KB at a time: the bytes a
   * DataOutputStream over a DigestOutputStream would write, without a stream call (and its lock) per int.
   */
  private static final class Encoder {
    private final MessageDigest digest;
    private final byte[] buf = new byte[1 << 16];
    private int n;

    Encoder(MessageDigest digest) {
      this.digest = digest;
    }

    void i32(int v) {
      if (n + 4 > buf.length) {
        flush();
      }
      buf[n] = (byte) (v >>> 24);
      buf[n + 1] = (byte) (v >>> 16);
      buf[n + 2] = (byte) (v >>> 8);
      buf[n + 3] = (byte) v;
      n += 4;
    }

    void i64(long v) {
      i32((int) (v >>> 32));
      i32((int) v);
    }

    /** str(s): int(byte length) + UTF-8 bytes. */
    void str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      i32(b.length);
      if (n + b.length > buf.length) {
        flush();
      }
      if (b.length > buf.length) {
        digest.update(b);
      } else {
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
      }
    }

    /** nstr(s): int(−1) for null, else str(s). */
    void nstr(String s) {
      if (s == null) {
        i32(-1);
      } else {
        str(s);
      }
    }

    byte[] digest() {
      flush();
      return digest.digest();
    }

    private void flush() {
      digest.update(buf, 0, n);
      n = 0;
    }
  }

  /**
   * Data that {@link #of} has sorted, checked for unique ids and hashed, handed to the constructor so that it does
   * not do that work again (a cluster's director, compiled by C1 alone, hashes at a tenth of C2's speed, and
   * hashing is most of what a dataset costs it). Private, so anything else reaching the constructor is checked in
   * full; never stored: the constructor keeps {@code sorted}.
   */
  private static final class Hashed extends AbstractList<Datum> implements RandomAccess {
    private final List<Datum> sorted;
    private final String sha256;

    private Hashed(List<Datum> sorted, String sha256) {
      this.sorted = sorted;
      this.sha256 = sha256;
    }

    @Override
    public Datum get(int index) {
      return sorted.get(index);
    }

    @Override
    public int size() {
      return sorted.size();
    }
  }
}
