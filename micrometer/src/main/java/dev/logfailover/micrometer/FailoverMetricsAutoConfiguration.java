package dev.logfailover.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot auto-configuration: with Micrometer on the class path, binds {@link FailoverMetrics}
 * to every meter registry (Spring Boot binds each {@code MeterBinder} bean), so the appenders of
 * the running logging system show under {@code /actuator/metrics} with no code from the user.
 * Spring Boot configures logging before it creates beans, so the appenders are running by then.
 */
@AutoConfiguration
@ConditionalOnClass(MeterRegistry.class)
public class FailoverMetricsAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  public FailoverMetrics logfailoverMetrics() {
    return new FailoverMetrics();
  }
}
