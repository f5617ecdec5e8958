package se.hok.samla.tickets;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Reads QR codes back the way a camera app would (ZXing). */
final class Scans {
  private Scans() {}

  static String read(byte[] png) {
    try {
      return read(ImageIO.read(new ByteArrayInputStream(png)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A whole printed page, as a document scanner or a phone held back to take in all of it would see it: the QR is a
   * small part among lines of text, so the reader looks at every row (TRY_HARDER) instead of sampling some.
   */
  static String readPage(BufferedImage page) {
    try {
      return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(page))),
          Map.of(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE), DecodeHintType.TRY_HARDER, true))
          .getText();
    } catch (NotFoundException e) {
      throw new AssertionError("no QR code found on the page", e);
    }
  }

  static String read(BufferedImage image) {
    try {
      return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
          Map.of(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE), DecodeHintType.PURE_BARCODE, false))
          .getText();
    } catch (NotFoundException e) {
      throw new AssertionError("no QR code found in the image", e);
    }
  }
}
