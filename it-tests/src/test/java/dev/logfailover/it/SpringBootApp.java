package dev.logfailover.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring Boot application for {@link SpringBootTest}, run in a child JVM: Spring Boot
 * initializes Logback from {@code logback-spring.xml} with {@code <springProperty>}, the
 * application says it started, logs numbered events until "stop" arrives on its standard input,
 * then exits through Spring's own shutdown (which stops Logback, flushing the queue).
 */
@SpringBootConfiguration
public class SpringBootApp {
  private static final Logger LOG = LoggerFactory.getLogger("app");

  public static void main(String[] args) throws Exception {
    SpringApplication application = new SpringApplication(SpringBootApp.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    ConfigurableApplicationContext context = application.run(args);
    System.out.println("APPLICATION STARTED");
    System.out.flush();
    Thread logging = new Thread(() -> {
      for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
        LOG.info("event {}", i);
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
}
