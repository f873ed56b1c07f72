package dev.logfailover.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.status.WarnStatus;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a stopping appender could not deliver (every server down, say), kept for the appender of
 * the same name that its logger context starts next. Logback gives appenders nothing that
 * outlives a configuration: a reconfiguration ({@code scan}, configuring the context again,
 * Spring Boot's own re-initialization at startup) stops the old appender first and only then
 * starts the new one, so the old one parks its backlog here and the new one claims it. When the
 * context itself stops, whatever no appender claimed is counted as dropped and reported.
 *
 * <p>Thread-safe.
 */
final class Backlogs {
  private record Key(Context context, String appenderName) {}

  private static final Map<Key, List<byte[]>> PARKED = new ConcurrentHashMap<>();
  /** Contexts whose stop we listen to; weak, so a discarded context is not kept alive. */
  private static final Set<Context> WATCHED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private Backlogs() {}

  /**
   * Whether a stopping appender should hand its backlog on: its context is a logger context (whose
   * stop we can see) and is being reset, which is how a reconfiguration (and the context's own
   * stop) stops appenders. A stop of the appender alone, from code, has no successor: what it
   * could not deliver is dropped and counted in its own books, not parked where nobody looks.
   */
  static boolean canKeep(Context context) {
    return context instanceof LoggerContext && isInsideContextReset();
  }

  /** Logback tells an appender nothing of why it is stopped: the call stack does. */
  private static boolean isInsideContextReset() {
    return StackWalker.getInstance().walk(frames -> frames.anyMatch(frame -> frame.getMethodName().equals("reset")
        && frame.getClassName().equals(LoggerContext.class.getName())));
  }

  /** Keeps {@code backlog} for the next appender called {@code appenderName} in {@code context}. */
  static void park(Context context, String appenderName, List<byte[]> backlog) {
    if (backlog.isEmpty()) {
      return;
    }
    if (WATCHED.add(context)) {
      ((LoggerContext) context).addListener(new DropOnStop(context));
    }
    PARKED.merge(new Key(context, appenderName), List.copyOf(backlog), (older, newer) -> {
      List<byte[]> both = new java.util.ArrayList<>(older);
      both.addAll(newer);
      return both;
    });
  }

  /** The backlog an earlier appender of this name left in this context, oldest first; empty if none. */
  static List<byte[]> claim(Context context, String appenderName) {
    List<byte[]> backlog = PARKED.remove(new Key(context, appenderName));
    return backlog == null ? List.of() : backlog;
  }

  /** At the context's stop, no appender will come for what is still parked: it is dropped, and said so. */
  private static final class DropOnStop implements LoggerContextListener {
    private final Context context;

    DropOnStop(Context context) {
      this.context = context;
    }

    @Override
    public boolean isResetResistant() {
      return true;
    }

    @Override
    public void onStop(LoggerContext stopped) {
      PARKED.keySet().removeIf(key -> {
        if (key.context() != context) {
          return false;
        }
        List<byte[]> dropped = PARKED.get(key);
        context.getStatusManager().add(new WarnStatus("[" + key.appenderName() + "] Dropped " + dropped.size()
            + " events that no appender of this name took over before the logging context stopped", this));
        return true;
      });
      WATCHED.remove(context);
    }

    @Override
    public void onStart(LoggerContext started) {
    }

    @Override
    public void onReset(LoggerContext reset) {
    }

    @Override
    public void onLevelChange(ch.qos.logback.classic.Logger logger, ch.qos.logback.classic.Level level) {
    }
  }
}
