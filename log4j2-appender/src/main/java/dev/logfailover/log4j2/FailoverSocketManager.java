package dev.logfailover.log4j2;

import dev.logfailover.FailoverConfig;
import dev.logfailover.adapter.AppenderEngine;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractManager;
import org.apache.logging.log4j.core.appender.ManagerFactory;

/**
 * Owns the failover engine of one appender name, across reconfigurations. Log4j2 builds and starts
 * the new configuration's appender before it stops the old one; both share this manager, and
 * {@link #install} swaps in a fresh engine that starts at the primary (F1) and first sends every
 * record the old engine had not delivered, so a reload loses no queued event and a changed server
 * list takes effect at once.
 *
 * <p>Thread-safe: {@link #send} from any logging thread; {@link #install} and the release are
 * serialized by Log4j2's lifecycle and by {@code synchronized}.
 */
final class FailoverSocketManager extends AbstractManager {
  private static final ManagerFactory<FailoverSocketManager, Key> FACTORY =
      (managerName, key) -> new FailoverSocketManager(managerName, key);

  /** What a manager is made from: its context and its appender's name. */
  private record Key(LoggerContext context, String appenderName) {}

  private final String appenderName;
  private volatile AppenderEngine current;

  private FailoverSocketManager(String managerName, Key key) {
    super(key.context(), managerName);
    this.appenderName = key.appenderName();
  }

  /** The manager for {@code appenderName} in {@code context}, shared with that name's earlier appender. */
  static FailoverSocketManager forAppender(LoggerContext context, String appenderName) {
    String contextName = context == null ? "" : context.getName();
    return getManager("FailoverSocket/" + contextName + "/" + appenderName, FACTORY, new Key(context, appenderName));
  }

  /** Starts an engine for {@code config} and returns it; an engine already running hands its backlog to it. */
  synchronized AppenderEngine install(FailoverConfig config) {
    AppenderEngine next = AppenderEngine.create(appenderName, config, new StatusLoggerSink());
    AppenderEngine previous = current;
    // From here on, logging threads queue into the new engine; it sends the old backlog first.
    current = next;
    next.startTakingOver(previous);
    return next;
  }

  /** Queues a record; never waits on the network (F9). */
  /** Queues the first {@code length} bytes of {@code bytes}, copied: the caller may reuse them. */
  void send(byte[] bytes, int length) {
    AppenderEngine target = current;
    // A reconfiguration may retire the engine between reading it and queueing: follow it.
    while (!target.send(bytes, 0, length) && target.isRetired()) {
      target = current;
    }
  }

  /** The last appender of this name is gone: flush, bounded by shutdownTimeout (F10). */
  @Override
  protected synchronized boolean releaseSub(long timeout, TimeUnit timeUnit) {
    if (current != null) {
      current.stop();
    }
    return true;
  }
}
