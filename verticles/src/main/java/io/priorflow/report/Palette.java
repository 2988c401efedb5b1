package io.priorflow.report;

import java.awt.Color;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report's colours, assigned by position so that the same run always gets the same colours: series (lineages,
 * or lineage × sweep point) from Tableau 10, ancestry sources from ColorBrewer Set2 — two palettes, so a source
 * is never mistaken for a lineage. Past the end of a palette, colours are spread around the hue circle.
 */
final class Palette {

  private Palette() {}

  private static final int[] SERIES = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1,
      0xff9da7, 0x9c755f, 0xbab0ac};
  private static final int[] SOURCES = {0x66c2a5, 0xfc8d62, 0x8da0cb, 0xe78ac3, 0xa6d854, 0xffd92f, 0xe5c494,
      0xb3b3b3};

  /** The colour of the i-th series. */
  static Color series(int i) {
    return pick(SERIES, i, 0.65f);
  }

  /** Source → colour, sources sorted by name. */
  static Map<String, Color> sources(Collection<String> sources) {
    Map<String, Color> out = new LinkedHashMap<>();
    int i = 0;
    for (String s : new TreeSet<>(sources)) {
      out.put(s, pick(SOURCES, i++, 0.45f));
    }
    return out;
  }

  private static Color pick(int[] palette, int i, float saturation) {
    if (i < palette.length) {
      return new Color(palette[i]);
    }
    // The golden-angle hue step keeps consecutive extra colours far apart.
    float hue = (float) (((i - palette.length) * 0.381966) % 1.0);
    return Color.getHSBColor(hue, saturation, 0.85f);
  }
}
