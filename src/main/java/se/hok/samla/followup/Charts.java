package se.hok.samla.followup;

import java.util.List;

/**
 * Bar charts as inline SVG, drawn on the server: no script, printable, and readable without sight. Each chart is
 * an image (role="img") named by its title and described by its figures in words; the data table beside it says
 * the same. Colours are presentation attributes, not style, so the page's CSP (style-src 'self') allows them.
 */
final class Charts {
  private static final int WIDTH = 640;
  private static final int LABEL_WIDTH = 230;
  private static final int VALUE_WIDTH = 70;
  private static final int ROW = 30;
  private static final int BAR = 20;
  private static final int LABEL_CHARS = 30;
  /** Dark blue bars and near-black text on white: well above 4.5:1, and distinct in greyscale print. */
  private static final String BAR_COLOUR = "#1d4f7a";
  private static final String TEXT_COLOUR = "#1a1a1a";

  private Charts() {}

  /** One bar: its label, its value and the value as written beside it ("12", "75 %"). */
  public record Bar(String label, double value, String valueText) {}

  /**
   * A horizontal bar chart. {@code id} must be unique on the page (it names the title and description).
   * Returns markup to insert as is; every text in it is escaped here.
   */
  static String bars(String id, String title, List<Bar> bars) {
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    int height = Math.max(1, bars.size()) * ROW + 10;
    StringBuilder desc = new StringBuilder();
    for (Bar b : bars) {
      if (desc.length() > 0) {
        desc.append("; ");
      }
      desc.append(b.label()).append(": ").append(b.valueText());
    }
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"").append(escape(id))
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-labelledby=\"")
        .append(escape(id)).append("-title ").append(escape(id)).append("-desc\">")
        .append("<title id=\"").append(escape(id)).append("-title\">").append(escape(title)).append("</title>")
        .append("<desc id=\"").append(escape(id)).append("-desc\">").append(escape(desc.toString())).append("</desc>");
    int barArea = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = 5 + i * ROW;
      int length = max <= 0 ? 0 : (int) Math.round(b.value() / max * barArea);
      svg.append("<text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(y + BAR - 5)
          .append("\" text-anchor=\"end\" font-size=\"14\" fill=\"").append(TEXT_COLOUR).append("\">")
          .append(escape(shorten(b.label()))).append("</text>");
      if (length > 0) {
        svg.append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y).append("\" width=\"").append(length)
            .append("\" height=\"").append(BAR).append("\" fill=\"").append(BAR_COLOUR).append("\"/>");
      }
      svg.append("<text x=\"").append(LABEL_WIDTH + length + 6).append("\" y=\"").append(y + BAR - 5)
          .append("\" font-size=\"14\" fill=\"").append(TEXT_COLOUR).append("\">").append(escape(b.valueText()))
          .append("</text>");
    }
    return svg.append("</svg>").toString();
  }

  private static String shorten(String label) {
    return label.length() <= LABEL_CHARS ? label : label.substring(0, LABEL_CHARS - 1).strip() + "…";
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(Character.isISOControl(c) ? ' ' : c);
      }
    }
    return out.toString();
  }
}
