package dev.logfailover.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverStatus;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class StatusMBeanTest {
  private static FailoverStatus sent(long events) {
    return new FailoverStatus(FailoverStatus.Mode.ROUND_ROBIN, Optional.empty(), List.of(), events, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, java.time.Duration.ZERO);
  }

  @Test
  void theOlderAppenderStoppingLeavesTheBeanOfTheNewerAppenderOfTheSameName() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = StatusMBean.objectName("item7-collectors");
    // A reconfiguration: the new appender starts (and registers) before the old one stops.
    StatusMBean older = StatusMBean.register("item7-collectors", () -> sent(1));
    StatusMBean newer = StatusMBean.register("item7-collectors", () -> sent(2));
    try {
      older.unregister();
      assertThat(server.isRegistered(name)).as("the newer appender's bean is still there").isTrue();
      assertThat(server.getAttribute(name, "EventsSent")).isEqualTo(2L);
      newer.unregister();
      assertThat(server.isRegistered(name)).isFalse();
    } finally {
      newer.unregister();
    }
  }
}
