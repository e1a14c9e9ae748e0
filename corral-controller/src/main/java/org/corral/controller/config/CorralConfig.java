package org.corral.controller.config;

import java.time.Duration;
import java.util.List;
import org.corral.controller.ControllerSettings;
import org.corral.controller.api.ApiSettings;
import org.corral.controller.command.HostRequest;
import org.corral.controller.ec2.Ec2Settings;
import org.corral.model.image.Image;
import org.corral.model.network.Network;
import org.jspecify.annotations.Nullable;

/**
 * Everything corral.yaml says, validated.
 *
 * @param listen   API address, host:port
 * @param api      who may call the API over HTTP, and its read timeout
 * @param store    where state lives
 * @param lab      a simulated lab to run, or null
 * @param hosts    inventory applied at start (missing hosts are added; existing ones are left as they are)
 * @param ha       controller high availability (several controllers on one PostgreSQL), or null for one controller
 * @param ec2      the EC2 Query API's listener and region
 */
public record CorralConfig(ControllerSettings controller, String listen, ApiSettings api, StoreConfig store, @Nullable LabConfig lab,
    List<HostRequest> hosts, List<Network> networks, List<Image> images, @Nullable HaConfig ha, Ec2Settings ec2) {
  /** store.url of a store in memory: fast, and gone at exit (simulations, benchmarks). */
  public static final String MEMORY_STORE = "memory:";

  /**
   * @param url      JDBC URL; null means the embedded H2 file under the Corral home
   * @param user     the database user, or null for the driver's default
   * @param password from {@code passwordEnv} or {@code passwordFile}, never written in the YAML itself
   */
  public record StoreConfig(@Nullable String url, @Nullable String user, @Nullable String password) {
    @Override
    public String toString() {
      return "StoreConfig[url=" + url + ", user=" + user + "]";
    }
  }

  /**
   * This controller's part in controller HA: its name among the controllers sharing the database,
   * the address the others send clients to while it leads, and the lease.
   *
   * @param lease      how long a leader's lease lasts without renewal (default 3 s)
   * @param renewEvery how often the leader renews and the others try (default 1 s); a leader that
   *                   cannot renew stops acting this long before its lease can run out
   */
  public record HaConfig(String name, String advertise, Duration lease, Duration renewEvery) {}

  /** This configuration with {@code listen} and {@code store} replaced. */
  public CorralConfig with(String listen, StoreConfig store) {
    return new CorralConfig(controller, listen, api, store, lab, hosts, networks, images, ha, ec2);
  }

  /**
   * A simulated lab of hosts ({@code sim://NAME/HOST}).
   *
   * @param stateFile true: the lab's state is saved under the Corral home and survives restarts
   */
  /**
   * @param leaseTime   how long the lab's storage leases last without renewal; null keeps the simulator's 10 s
   * @param softFencing the lab's hosts restart their simulated libvirtd before being fenced ({@code power.soft})
   */
  public record LabConfig(String name, List<LabHostGroup> groups, LabLatencies latencies, boolean stateFile,
      @Nullable Duration leaseTime, boolean softFencing) {
    public LabConfig(String name, List<LabHostGroup> groups, LabLatencies latencies, boolean stateFile) {
      this(name, groups, latencies, stateFile, null, false);
    }
  }

  /** {@code count} hosts named {@code prefix}01, {@code prefix}02, … of one size. */
  public record LabHostGroup(String prefix, int count, int cores, int mhz, long memoryMib, double idleWatts, double maxWatts,
      java.util.Map<String, String> labels) {}

  /** Latencies of the simulated lab; null fields keep the simulator's defaults. */
  public record LabLatencies(@Nullable Duration define, @Nullable Duration boot, @Nullable Duration shutdown,
      @Nullable Duration migrationBase, @Nullable Double migrationMibPerSecond, @Nullable Duration powerOn,
      @Nullable Duration powerOff) {}
}
