package dev.logfailover.internal.sender;

import dev.logfailover.FailoverConfig;
import dev.logfailover.internal.transport.SessionFactory;
import java.util.function.Function;

/** The engine rules over the production {@code tcp} transport. */
class TcpEngineTest extends EngineBehaviourTest {
  @Override
  Function<FailoverConfig, SessionFactory> transport() {
    return null;
  }
}
