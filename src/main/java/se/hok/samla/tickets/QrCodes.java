package se.hok.samla.tickets;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * QR images of ticket codes (ZXing). Error correction M: a printed ticket survives a crease or a smudge, and the
 * 111-character codes still fit a small symbol (version 5, 37×37 modules, in alphanumeric mode, which ZXing picks
 * by itself for text in A–Z 0–9). Every image has the standard quiet zone of four modules.
 */
public final class QrCodes {
  static final ErrorCorrectionLevel ERROR_CORRECTION = ErrorCorrectionLevel.M;
  static final int QUIET_ZONE_MODULES = 4;
  private static final Map<EncodeHintType, Object> HINTS = Map.of(EncodeHintType.ERROR_CORRECTION, ERROR_CORRECTION);

  private QrCodes() {}

  /**
   * A PNG of at least {@code sizePx} square (more if the symbol needs it): whole pixels per module, black on white,
   * quiet zone included.
   */
  public static byte[] png(String text, int sizePx) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image(text, sizePx), "PNG", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The symbol as a 1-bit image, {@code sizePx} square or the smallest whole multiple of the modules above it. */
  static BufferedImage image(String text, int sizePx) {
    ByteMatrix modules = encode(text).getMatrix();
    int n = modules.getWidth() + 2 * QUIET_ZONE_MODULES;
    int scale = Math.max(1, (sizePx + n - 1) / n);
    int side = n * scale;
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_BINARY);
    java.awt.Graphics2D g = image.createGraphics();
    try {
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, side, side);
      g.setColor(java.awt.Color.BLACK);
      for (int y = 0; y < modules.getHeight(); y++) {
        for (int x = 0; x < modules.getWidth(); x++) {
          if (modules.get(x, y) == 1) {
            g.fillRect((x + QUIET_ZONE_MODULES) * scale, (y + QUIET_ZONE_MODULES) * scale, scale, scale);
          }
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** The symbol ZXing makes for the text with our settings (its version, mode and level can be inspected). */
  static QRCode encode(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("no text for a QR code");
    }
    try {
      return Encoder.encode(text, ERROR_CORRECTION, HINTS);
    } catch (WriterException e) {
      throw new IllegalArgumentException("text does not fit a QR code", e);
    }
  }
}
