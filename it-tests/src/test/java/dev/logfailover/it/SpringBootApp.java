package dev.logfailover.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring Boot application for {@link SpringBootTest}, run in a child JVM whose class path
 * holds one logging framework: Spring Boot initializes it from {@code logback-spring.xml} (with
 * {@code <springProperty>}) or {@code log4j2-spring.xml} (with {@code ${spring:...}}). The
 * application says it started and how many sender threads run, logs numbered events through the
 * framework's own API until "stop" arrives on its standard input, then exits through Spring's own
 * shutdown, which stops the logging system and so flushes the queue.
 */
@SpringBootConfiguration
public class SpringBootApp {
  public static void main(String[] args) throws Exception {
    SpringApplication application = new SpringApplication(SpringBootApp.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    ConfigurableApplicationContext context = application.run(args);
    System.out.println("APPLICATION STARTED");
    System.out.println("SENDER THREADS " + Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && thread.getName().startsWith("logfailover-sender-")).count());
    System.out.flush();
    Consumer<String> log = "log4j2".equals(System.getProperty("app.framework")) ? Log4jApi.logger()
        : org.slf4j.LoggerFactory.getLogger("app")::info;
    Thread logging = new Thread(() -> {
      for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
        log.accept("event " + i);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "numbered-events");
    logging.start();
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = commands.readLine()) != null && !line.equals("stop"); ) {
      // Waiting for the test's word.
    }
    logging.interrupt();
    logging.join();
    System.exit(SpringApplication.exit(context));
  }

  /** Loaded only when Log4j2 is the framework: the Logback child has no Log4j API on its class path. */
  private static final class Log4jApi {
    static Consumer<String> logger() {
      return org.apache.logging.log4j.LogManager.getLogger("app")::info;
    }
  }
}
