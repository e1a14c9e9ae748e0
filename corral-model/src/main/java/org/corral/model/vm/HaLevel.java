package org.corral.model.vm;

/**
 * How much a VM's availability matters when its host fails or it crashes: the one HA setting
 * ({@code corral vm create --ha high|medium|low|none}, {@code "ha"} in the API).
 *
 * <p>After a host failure the Guardian restarts HIGH VMs first, then MEDIUM, then LOW, each on
 * the best host the scheduler finds; NONE is never restarted (it stays UNKNOWN, then FAILED once
 * its host is known to be off). A crashed VM is restarted the same way.
 */
public enum HaLevel {
  HIGH, MEDIUM, LOW, NONE;

  /** What a VM gets when it asks for nothing: restarted, after the HIGH ones. */
  public static final HaLevel DEFAULT = MEDIUM;

  /** True when the Guardian restarts the VM after a failure. */
  public boolean restarted() {
    return this != NONE;
  }

  /**
   * The level a VM stored with the former numeric {@code haPriority} (0..1000, higher first, 0 by
   * default) gets: 0 was the default and is {@link #DEFAULT}; anything above asked to come first,
   * which is HIGH.
   */
  public static HaLevel fromPriority(int priority) {
    return priority > 0 ? HIGH : DEFAULT;
  }
}
