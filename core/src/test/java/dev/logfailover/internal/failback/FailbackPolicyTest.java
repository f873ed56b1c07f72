package dev.logfailover.internal.failback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Failback;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probe schedule and counter as arithmetic on nanosecond timestamps. */
class FailbackPolicyTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private final FailbackPolicy policy = new FailbackPolicy(Failback.of(3, Duration.ofSeconds(10)));

  @Test
  void F6a_theFirstProbeIsDueTheMomentTheClientLeavesThePrimary() {
    assertThat(policy.nanosUntilNextProbe(0)).as("not probing yet").isEqualTo(-1);
    policy.start(100 * SECOND);
    assertThat(policy.nanosUntilNextProbe(100 * SECOND)).isZero();
  }

  @Test
  void F6a_aProbeThatStartedLessThanAnIntervalAgoDelaysTheFirstOne() {
    policy.start(0);
    policy.probeStarted(0);
    assertThat(policy.probeFinished(SECOND, true)).isFalse();
    policy.stop();
    policy.start(4 * SECOND);
    assertThat(policy.nanosUntilNextProbe(4 * SECOND)).isEqualTo(6 * SECOND);
  }

  @Test
  void F6c_probesRunAtTheIntervalAndNeverOverlap() {
    policy.start(0);
    policy.probeStarted(0);
    assertThat(policy.nanosUntilNextProbe(SECOND)).as("no second probe while one runs").isEqualTo(-1);
    policy.probeFinished(2 * SECOND, false);
    assertThat(policy.nanosUntilNextProbe(2 * SECOND)).as("start + interval").isEqualTo(8 * SECOND);
  }

  @Test
  void F6c_aProbeSlowerThanTheIntervalIsFollowedWhenItEnds() {
    policy.start(0);
    policy.probeStarted(0);
    policy.probeFinished(15 * SECOND, false);
    assertThat(policy.nanosUntilNextProbe(15 * SECOND)).as("max(start + interval, end)").isZero();
  }

  @Test
  void F6d_eachSuccessCountsOneAndAFailedProbeResetsTheCounter() {
    policy.start(0);
    probe(0, true);
    probe(10, true);
    assertThat(policy.successes()).isEqualTo(2);
    probe(20, false);
    assertThat(policy.successes()).isZero();
    assertThat(probe(30, true)).isFalse();
    assertThat(probe(40, true)).isFalse();
    assertThat(policy.successes()).isEqualTo(2);
  }

  @Test
  void F6e_reachingTheRequiredCountHandsOverAndResetsTheCounter() {
    policy.start(0);
    assertThat(probe(0, true)).isFalse();
    assertThat(probe(10, true)).isFalse();
    assertThat(probe(20, true)).as("third consecutive success").isTrue();
    assertThat(policy.successes()).isZero();
    assertThat(policy.isActive()).as("no probes while on the primary").isFalse();
    assertThat(policy.nanosUntilNextProbe(30 * SECOND)).isEqualTo(-1);
  }

  @Test
  void F6g_leavingThePrimaryAgainStartsTheCycleOver() {
    policy.start(0);
    probe(0, true);
    probe(10, true);
    probe(20, true);
    policy.start(25 * SECOND);
    assertThat(policy.successes()).isZero();
    assertThat(policy.nanosUntilNextProbe(25 * SECOND)).as("the last probe started 5 s ago").isEqualTo(5 * SECOND);
  }

  private boolean probe(long startSeconds, boolean succeeded) {
    policy.probeStarted(startSeconds * SECOND);
    return policy.probeFinished(startSeconds * SECOND + SECOND / 10, succeeded);
  }
}
