package org.corral.drivers.power.ipmi;

/** ipmitool's LAN interfaces ({@code -I}). */
enum IpmiInterface {
  /** IPMI 2.0 RMCP+ (encrypted, the default; what current BMCs expect). */
  LANPLUS("lanplus"),
  /** IPMI 1.5 RMCP (older BMCs; no encryption). */
  LAN("lan");

  private final String flag;

  IpmiInterface(String flag) {
    this.flag = flag;
  }

  /** The value after {@code -I}. */
  public String flag() {
    return flag;
  }
}
