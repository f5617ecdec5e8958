package se.hok.samla.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.core.buffer.Buffer;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default mode's local mail catcher: a real SMTP server whose memory does not grow with the mail it is sent. */
class DevMailCatcherTest {
  @Test
  void keepsTheNewestMessagesOnlyAndReadsThemWhole() throws Exception {
    Vertx vertx = Vertx.vertx();
    DevMailCatcher catcher = new DevMailCatcher(3).started();
    MailClient client = MailClient.create(vertx, new MailConfig().setHostname(catcher.host()).setPort(catcher.port())
        .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED));
    try {
      for (int i = 1; i <= 5; i++) {
        await(client.sendMail(new MailMessage().setFrom("samla@test.example").setTo("deltagare.själv" + i + "@test.example")
            .setSubject("Biljett " + i + " – Samverkanskonferens").setText("Hej " + i)
            .setAttachment(List.of(MailAttachment.create().setName("biljett.pdf").setContentType("application/pdf")
                .setData(Buffer.buffer("%PDF-1.7 " + i))))));
      }
      List<MimeMessage> kept = catcher.messages();
      assertEquals(List.of("Biljett 5 – Samverkanskonferens", "Biljett 4 – Samverkanskonferens",
          "Biljett 3 – Samverkanskonferens"), kept.stream().map(DevMailCatcherTest::subject).toList(), "the newest three, newest first");
      assertEquals("deltagare.själv5@test.example", kept.get(0).getAllRecipients()[0].toString(), "an address as written");
      jakarta.mail.Multipart parts = (jakarta.mail.Multipart) kept.get(0).getContent();
      assertEquals("biljett.pdf", parts.getBodyPart(1).getFileName(), "attachments arrive whole");
    } finally {
      client.close();
      catcher.stop();
      await(vertx.close());
    }
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
