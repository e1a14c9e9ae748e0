package org.corral.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.corral.model.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageTest {
  @ParameterizedTest(name = "{0}={1} is rejected")
  @CsvSource(delimiter = '|', value = {"volume|../etc/passwd", "volume|..", "volume|a/b.qcow2", "volume|img .qcow2",
      "pool|../pool", "sizeGib|9223372036854775807", "sizeGib|0", "format|vmdk"})
  void badImagesNameTheField(String field, String value) {
    assertThatThrownBy(() -> new Image("i", field.equals("pool") ? value : "default", field.equals("volume") ? value : "i.qcow2",
        field.equals("format") ? value : null, field.equals("sizeGib") ? Long.parseLong(value) : 10, false))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
  }

  @ParameterizedTest
  @CsvSource({"debian-12.qcow2", "ubuntu_24.04+cloud.raw", "v1..2.img"})
  void fileNamesOfAPoolAreAccepted(String volume) {
    assertThat(new Image("i", "default", volume, "qcow2", Image.MAX_SIZE_GIB, true).volume()).isEqualTo(volume);
  }

  @org.junit.jupiter.api.Test
  void anImageMayBootAKernelDirectly() {
    Image i = new Image("lab", "lab", "base.qcow2", "qcow2", 1, true, "/var/cache/lab/vmlinuz", "/var/cache/lab/initrd.gz",
        "console=ttyS0 panic=-1");
    assertThat(i.kernel()).isEqualTo("/var/cache/lab/vmlinuz");
    assertThat(new Image("d", "default", "d.qcow2", "qcow2", 1, true).kernel()).as("boots from its disk").isNull();
  }

  @ParameterizedTest(name = "kernel={0} initrd={1} cmdline={2} is rejected naming {3}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "boot/vmlinuz|-|-|kernel",
      "/boot/../etc/shadow|-|-|kernel",
      "/boot/vm linuz|-|-|kernel",
      "/boot/vmlinuz|initrd.gz|-|initrd",
      "-|/boot/initrd.gz|-|initrd",
      "-|-|console=ttyS0|cmdline"})
  void badDirectBootNamesTheField(String kernel, String initrd, String cmdline, String field) {
    assertThatThrownBy(() -> new Image("i", "default", "i.qcow2", "qcow2", 1, true, kernel, initrd, cmdline))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
  }
}
