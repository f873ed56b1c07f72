package dev.logfailover.internal.sender;

import dev.logfailover.internal.transport.AckEveryNthTransport;
import dev.logfailover.FailoverConfig;
import dev.logfailover.internal.transport.SessionFactory;
import java.util.function.Function;
import java.time.Duration;

/**
 * The engine rules over a transport written in tests only ({@link AckEveryNthTransport}): records
 * are released on acknowledgement, not on write, and nothing in the engine changed for it.
 */
class AcknowledgingTransportEngineTest extends EngineBehaviourTest {
  @Override
  Function<FailoverConfig, SessionFactory> transport() {
    return config -> new AckEveryNthTransport(7, config.writeTimeout());
  }
}
