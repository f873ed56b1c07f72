package dev.logfailover.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The choice of the next server, as arithmetic: each test feeds outcomes and reads where the
 * planner goes.
 */
class EndpointPlannerTest {
  private final Endpoint primary = Endpoint.of("x", "primary", 601);
  private final Endpoint failover1 = Endpoint.of("x", "failover1", 601);
  private final Endpoint failover2 = Endpoint.of("x", "failover2", 601);
  private final List<Endpoint> servers = List.of(primary, failover1, failover2);

  @Test
  void F1_theFirstAttemptGoesToThePrimary() {
    assertThat(new EndpointPlanner(servers, false).current()).isEqualTo(primary);
    assertThat(new EndpointPlanner(servers, true).current()).isEqualTo(primary);
  }

  @Test
  void F4_aFailedServerIsFollowedAtOnceAndOnlyAWholePassBacksOff() {
    EndpointPlanner planner = new EndpointPlanner(servers, false);
    assertThat(planner.attemptFailed()).as("primary failed: no backoff").isFalse();
    assertThat(planner.current()).isEqualTo(failover1);
    assertThat(planner.attemptFailed()).as("failover1 failed: no backoff").isFalse();
    assertThat(planner.attemptFailed()).as("failover2 failed: the pass is complete").isTrue();
    assertThat(planner.current()).isEqualTo(primary);
    assertThat(planner.attemptFailed()).isFalse();
    planner.connected();
    assertThat(planner.attemptFailed()).as("a success starts the count again").isFalse();
  }

  @Test
  void F5_roundRobinWrapsToThePrimaryAndStaysOnAWorkingServer() {
    EndpointPlanner planner = new EndpointPlanner(servers, false);
    List<Endpoint> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      planner.connectionLost();
      order.add(planner.current());
    }
    assertThat(order).containsExactly(failover1, failover2, primary, failover1);
    assertThat(planner.isPrimaryAwaitingProbes()).isFalse();
  }

  @Test
  void F6_failbackModeLeavesThePrimaryOutOfTheRotation() {
    EndpointPlanner planner = new EndpointPlanner(servers, true);
    planner.connectionLost();
    assertThat(planner.isPrimaryAwaitingProbes()).isTrue();
    List<Endpoint> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(planner.current());
      planner.connectionLost();
    }
    assertThat(order).containsExactly(failover1, failover2, failover1, failover2);
  }

  @Test
  void F6_inFailbackModeAPassIsTheFailoverServersAlone() {
    EndpointPlanner planner = new EndpointPlanner(servers, true);
    assertThat(planner.attemptFailed()).isFalse();
    assertThat(planner.attemptFailed()).as("failover1").isFalse();
    assertThat(planner.attemptFailed()).as("failover2 ends the pass: primary counted before it left").isTrue();
    assertThat(planner.current()).isEqualTo(failover1);
    assertThat(planner.attemptFailed()).isFalse();
    assertThat(planner.attemptFailed()).as("a pass of the two failover servers").isTrue();
  }

  @Test
  void F6g_whenThePrimaryFailsAgainFailover1IsNextAndProbingRestarts() {
    EndpointPlanner planner = new EndpointPlanner(servers, true);
    planner.connectionLost();
    planner.connectionLost();
    assertThat(planner.current()).isEqualTo(failover2);
    planner.returnedToPrimary();
    assertThat(planner.current()).isEqualTo(primary);
    assertThat(planner.isPrimaryAwaitingProbes()).isFalse();
    planner.connectionLost();
    assertThat(planner.current()).isEqualTo(failover1);
    assertThat(planner.isPrimaryAwaitingProbes()).isTrue();
  }
}
