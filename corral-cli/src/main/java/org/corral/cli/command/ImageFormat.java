package org.corral.cli.command;

import java.util.Locale;

/** Disk image formats Corral clones from; sent in lower case as the API spells them. */
enum ImageFormat {
  QCOW2, RAW;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
