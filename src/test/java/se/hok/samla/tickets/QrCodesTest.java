package se.hok.samla.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Mode;
import com.google.zxing.qrcode.encoder.QRCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The QR image of a ticket code: scannable, alphanumeric mode, error correction M, four modules of quiet zone. */
class QrCodesTest {
  static final String CODE = TicketCode.encode(1, 16_383, 16_383, TicketCodeTest.EVENT.getPrivate());

  @Test
  void thePngScansBackToTheCode() throws Exception {
    byte[] png = QrCodes.png(CODE, 300);
    assertEquals(CODE, Scans.read(png));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(image.getWidth() >= 300 && image.getWidth() == image.getHeight(), image.getWidth() + "px");
  }

  @Test
  void theSymbolIsAlphanumericWithLevelMOrHigher() {
    QRCode qr = QrCodes.encode(CODE);
    assertEquals(Mode.ALPHANUMERIC, qr.getMode(), "base32 text is all QR-alphanumeric: 5.5 bits a character");
    // The enum is declared weakest first: L, M, Q, H.
    assertTrue(qr.getECLevel().ordinal() >= ErrorCorrectionLevel.M.ordinal(), qr.getECLevel().toString());
    assertEquals(5, qr.getVersion().getVersionNumber(), "37×37 modules for a 111-character code");
  }

  @Test
  void theQuietZoneIsFourModulesOfWhite() throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(QrCodes.png(CODE, 1)));
    int modules = QrCodes.encode(CODE).getMatrix().getWidth();
    assertEquals(modules + 8, image.getWidth(), "one pixel a module when asked for less");
    for (int i = 0; i < image.getWidth(); i++) {
      for (int border = 0; border < 4; border++) {
        assertWhite(image, i, border);
        assertWhite(image, i, image.getHeight() - 1 - border);
        assertWhite(image, border, i);
        assertWhite(image, image.getWidth() - 1 - border, i);
      }
    }
    assertEquals(0x000000, image.getRGB(4, 4) & 0xFFFFFF, "the finder pattern starts right after the quiet zone");
  }

  @Test
  void emptyTextIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> QrCodes.png("", 100));
  }

  private static void assertWhite(BufferedImage image, int x, int y) {
    assertEquals(0xFFFFFF, image.getRGB(x, y) & 0xFFFFFF, "(" + x + "," + y + ")");
  }

  /** Read as a camera at the door would (ZXing's general detector, not the pure-image shortcut), every time. */
  @org.junit.jupiter.api.Test
  void everyTicketCodeReadsBackWithTheGeneralDetector() throws Exception {
    java.security.PrivateKey key = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
    int failures = 0;
    for (int i = 0; i < 400; i++) {
      String code = TicketCode.encode(TicketCode.VERSION, 1000 + i, 7, key);
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(QrCodes.png(code, 400)));
      try {
        String read = new com.google.zxing.MultiFormatReader().decode(new com.google.zxing.BinaryBitmap(
            new com.google.zxing.common.HybridBinarizer(new com.google.zxing.client.j2se.BufferedImageLuminanceSource(image)))).getText();
        if (!code.equals(read)) {
          failures++;
        }
      } catch (com.google.zxing.NotFoundException e) {
        failures++;
      }
    }
    org.junit.jupiter.api.Assertions.assertEquals(0, failures, "codes a camera could not read");
  }
}
