package org.corral.model.snapshot;

import org.corral.model.Resources;

/**
 * What a host holds for VMs: the CPU and memory of the VMs placed there (and of those migrating
 * to it), and how many VMs are placed there.
 */
public record Reservation(Resources resources, int vms) {
  public static final Reservation NONE = new Reservation(Resources.ZERO, 0);

  public Reservation plus(Resources r, int n) {
    return new Reservation(resources.plus(r), vms + n);
  }

  public Reservation minus(Resources r, int n) {
    return new Reservation(resources.minus(r), vms - n);
  }

  public boolean isEmpty() {
    return vms == 0 && resources.equals(Resources.ZERO);
  }
}
