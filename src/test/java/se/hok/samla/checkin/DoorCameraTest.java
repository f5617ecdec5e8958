package se.hok.samla.checkin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import se.hok.samla.support.Browser;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.tickets.QrCodes;

/**
 * The door's camera reads every ticket where the browser has no BarcodeDetector (Safari, Firefox, Chromium on Linux),
 * through ZXing's JavaScript port. At the camera's own size that port misses about one ticket code in 18, even in a
 * still, sharp frame of the QR exactly as the ticket e-mail has it; the door reads each frame at the next of a turn
 * of sizes ({@code SCALES} in js/door/camera.js). Here the door's own module reads such frames, one size per frame as
 * the camera does: codes it missed at full size (found among 1,500), and 150 more, one of which it reads only at
 * the smallest size.
 */
@WithSamla
@Tag(Browser.TAG)
class DoorCameraTest {
  static TestApp app;

  /** Ticket-shaped codes ZXing's port did not read at the camera's size (0.23.0), some not at half size either. */
  static final List<String> MISSED_AT_FULL_SIZE = List.of(
      "S156PTMNAYU2WX4N6GNIP6J4G6YH23S3BJLGGPRDAQEOUX5LYQUO5T7OH7YNKRQM2A5OIUPLLHZX7FIMKQAO6DRFZ5PPCUG4VTGLMXBNQP6ECMD",
      "S1Y6QVKBZX34LFEBK25N36XGHJMSI7QY467KDVI66MZNBZZYT2XFMH6YGYJEG7G6CS3L42QMPD2EGUMWXCDAO2H6TK7AAMN6IFC37OUEBL6S5NL",
      "S1QH2CXMDLW5S6UDKOAV7LL4X6EVMMDUMHLP7WN5ZH3SAZF35GWW3Z26HDSHXMJUHD5DZ6REE7JB5JULVXSRSET22OEPCM4RIJCF6M7WHYQEMUE",
      "S1HIRIHPDK4JBGZQKK4M3YXJ65PVT67CMN2PBZGWMPRMAGJ5MNNPHHHHN3KADIITJ5DRJV4M5YOPCU5XYTJ7SNFUWY6EIPZQ4FH3IPR4BQ667PD",
      "S1MRKRJOLSIO6VWPTOJQFEWEFUHMEIVEQDJGCPF5H4LOAGUOCBUPOIRMTRRHBX2AHDK2HKGBZ4EVIWBEE6SDHG3HZRNWGKLYBWBXDJ3AD2MQO5N",
      "S1UEWAMWRSTGSMWBP36LVET4ZF3NVMZJMIL2LL3JV2VBJ4TY6MXL4LCRC7FERSHE5FQLYE4MWGJ7GR5RMYUBYE2O3VTGC5IXJY3CLRX6YNF2TXN",
      "S1BSFEPWKVBBSIL2TYGVQEYWC6F2CGAJOCFRBZY7XB7LUWVS5IGEG6JMSIQ5JT7Y63G3QYPU3G6KZ47TQAEIXCHY3IUMCNHRDQY3QGY4TEK5KWI",
      "S1ZRWJ4FDWF6XZVHRD3GM7CS57CIO6BR2ETEKH5XMGAIENV4FCY6A3YX5FMNVWKW3PTAZQSS73ETLRW3NP3HZOWNRGCBQ3IY6EDS5EFZ2MAFPMM");

  /** A camera frame: the ticket's QR (the e-mail's PNG, at its own size) on a white 640 × 480 page, as a data URL. */
  static String frame(String code) throws Exception {
    BufferedImage qr = ImageIO.read(new ByteArrayInputStream(QrCodes.png(code, QrCodes.TICKET_PIXELS)));
    BufferedImage frame = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = frame.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 640, 480);
    g.drawImage(qr, (640 - qr.getWidth()) / 2, (480 - qr.getHeight()) / 2, null);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(frame, "PNG", out);
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
  }

  /** For each frame: the frames the door took to read it (0 if a whole turn did not), and what it read. */
  static JsonArray read(List<String> codes) throws Exception {
    List<String> frames = new ArrayList<>();
    for (String code : codes) {
      frames.add(frame(code));
    }
    Browser browser = Browser.shared();
    browser.reset();
    browser.open(app.url("/"));
    Object out = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
        const frames = arguments[0];
        const done = arguments[arguments.length - 1];
        const script = document.createElement('script');
        script.src = '/static/vendor/zxing/index.min.js';
        script.onerror = () => done('ERROR no ZXing');
        script.onload = () => import('/static/js/door/camera.js').then(async (camera) => {
          const canvas = document.createElement('canvas');
          const rows = [];
          for (const url of frames) {
            const image = new Image();
            image.src = url;
            await image.decode();
            let taken = 0;
            let text = null;
            let atFullSize = null;
            for (let i = 0; i < camera.SCALES.length && text === null; i++) {
              text = camera.readQr(image, image.naturalWidth, image.naturalHeight, canvas, camera.SCALES[i]);
              if (i === 0) {
                atFullSize = text;
              }
              taken = text === null ? 0 : i + 1;
            }
            rows.push({ frames: taken, text, atFullSize });
          }
          done(JSON.stringify(rows));
        }).catch((e) => done('ERROR ' + e));
        document.head.appendChild(script);
        """, frames);
    assertFalse(String.valueOf(out).startsWith("ERROR"), String.valueOf(out));
    return new JsonArray((String) out);
  }

  @Test
  void everyTicketIsReadWithinOneTurnOfSizes() throws Exception {
    JsonArray missed = read(MISSED_AT_FULL_SIZE);
    for (int i = 0; i < MISSED_AT_FULL_SIZE.size(); i++) {
      JsonObject row = missed.getJsonObject(i);
      assertEquals(MISSED_AT_FULL_SIZE.get(i), row.getString("text"), "read within a turn: " + row);
    }
    assertTrue(missed.stream().map(JsonObject.class::cast).filter(r -> r.getString("atFullSize") == null).count() >= 5,
        "these are codes the port misses at full size (if it now reads them, SCALES may be shortened): " + missed);

    Random random = new Random(20261205);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      StringBuilder code = new StringBuilder("S1");
      while (code.length() < 111) {
        code.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      codes.add(code.toString());
    }
    JsonArray rows = read(codes);
    for (int i = 0; i < codes.size(); i++) {
      assertEquals(codes.get(i), rows.getJsonObject(i).getString("text"), "code " + i + ": " + rows.getJsonObject(i));
    }
  }
}
