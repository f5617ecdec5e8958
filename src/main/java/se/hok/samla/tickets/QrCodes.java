package se.hok.samla.tickets;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.EncodeHintType;
import com.google.zxing.ReaderException;
import com.google.zxing.PlanarYUVLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
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

  /** The size tickets use, in the e-mail and the PDF alike (8 pixels per module for a version-5 symbol). */
  public static final int TICKET_PIXELS = 360;

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

  /**
   * The symbol as a 1-bit image, {@code sizePx} square or the smallest whole multiple of the modules above it.
   * About one code in a hundred gets a mask whose data happens to look like a finder pattern to ZXing's general
   * detector (the one a camera at the door uses), so each symbol is read back once and, if that fails, made
   * again with the next mask pattern.
   */
  static BufferedImage image(String text, int sizePx) {
    return checked(text, sizePx).image();
  }

  /**
   * The modules of the symbol the ticket shows (quiet zone not included; 1 is dark), the same symbol as
   * {@link #image}: read back once as an image of the ticket's size, with the mask re-chosen if that failed. For
   * drawing the code as vector squares (the PDF).
   */
  static ByteMatrix symbol(String text) {
    Checked last = LAST.get();
    return last != null && text.equals(last.text()) ? last.modules() : checked(text, TICKET_PIXELS).modules();
  }

  /** A symbol that was read back, at the size it was read back at. */
  private record Checked(String text, int sizePx, ByteMatrix modules, BufferedImage image) {}

  /** A ticket mail draws the same code twice (inline PNG, then the PDF) on one thread: check it once. */
  private static final ThreadLocal<Checked> LAST = new ThreadLocal<>();

  private static Checked checked(String text, int sizePx) {
    Checked last = LAST.get();
    if (last != null && text.equals(last.text()) && last.sizePx() == sizePx) {
      return last;
    }
    Checked checked = check(text, sizePx);
    LAST.set(checked);
    return checked;
  }

  private static Checked check(String text, int sizePx) {
    ByteMatrix first = encode(text).getMatrix();
    if (readsBack(first, sizePx, text)) {
      return new Checked(text, sizePx, first, render(first, sizePx));
    }
    for (int mask = 0; mask < 8; mask++) {
      ByteMatrix other = encode(text, mask).getMatrix();
      if (readsBack(other, sizePx, text)) {
        return new Checked(text, sizePx, other, render(other, sizePx));
      }
    }
    return new Checked(text, sizePx, first, render(first, sizePx));
  }

  /**
   * Whether ZXing reads the symbol back from the very pixels the image of it has (0 black, 255 white, quiet zone and
   * scale as {@link #render}); the grey levels are given to the reader directly instead of being taken out of an
   * image pixel by pixel, which cost more than reading the code.
   */
  private static boolean readsBack(ByteMatrix modules, int sizePx, String text) {
    int n = modules.getWidth() + 2 * QUIET_ZONE_MODULES;
    int scale = scale(n, sizePx);
    int side = n * scale;
    byte[] grey = new byte[side * side];
    java.util.Arrays.fill(grey, (byte) 0xFF);
    for (int y = 0; y < modules.getHeight(); y++) {
      for (int x = 0; x < modules.getWidth(); x++) {
        if (modules.get(x, y) == 1) {
          for (int row = 0; row < scale; row++) {
            int from = ((y + QUIET_ZONE_MODULES) * scale + row) * side + (x + QUIET_ZONE_MODULES) * scale;
            java.util.Arrays.fill(grey, from, from + scale, (byte) 0);
          }
        }
      }
    }
    try {
      String read = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
          new PlanarYUVLuminanceSource(grey, side, side, 0, 0, side, side, false)))).getText();
      return text.equals(read);
    } catch (ReaderException e) {
      return false;
    }
  }

  /** Whole pixels per module: {@code sizePx} or the smallest whole multiple of the modules above it. */
  private static int scale(int modulesWithQuietZone, int sizePx) {
    return Math.max(1, (sizePx + modulesWithQuietZone - 1) / modulesWithQuietZone);
  }

  private static BufferedImage render(ByteMatrix modules, int sizePx) {
    int n = modules.getWidth() + 2 * QUIET_ZONE_MODULES;
    int scale = scale(n, sizePx);
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

  static QRCode encode(String text, int maskPattern) {
    try {
      return Encoder.encode(text, ERROR_CORRECTION, Map.of(EncodeHintType.ERROR_CORRECTION, ERROR_CORRECTION,
          EncodeHintType.QR_MASK_PATTERN, maskPattern));
    } catch (WriterException e) {
      throw new IllegalArgumentException("text does not fit a QR code", e);
    }
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
