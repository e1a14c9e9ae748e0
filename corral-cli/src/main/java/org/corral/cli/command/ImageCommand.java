package org.corral.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.corral.cli.api.CorralApi;
import org.corral.cli.api.Json;
import org.corral.cli.convert.NonNegativeLong;
import org.corral.cli.render.Nodes;
import org.corral.cli.render.Table;
import org.corral.cli.render.Units;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code corral image ...}: base images that VM disks are cloned from. */
@Command(name = "image", description = "Base disk images: list, create, delete.")
public final class ImageCommand {
  private final Session session;

  public ImageCommand(Session session) {
    this.session = session;
  }

  @Command(name = "list", description = "List images: pool, volume, format, size, shared storage or not.")
  int list() {
    JsonNode images = session.api().get("/images");
    if (session.json()) {
      session.printJson(images);
      return ExitCode.OK.code();
    }
    Table t = Table.of("NAME", "POOL", "VOLUME", "FORMAT", "SIZE", "SHARED");
    for (JsonNode i : images) {
      Long size = Nodes.whole(i, "sizeGib");
      t.row(Nodes.text(i, "name"), Nodes.text(i, "pool"), Nodes.text(i, "volume"), Nodes.text(i, "format"),
          size == null ? null : Units.gib(size), Nodes.flag(i, "shared") ? "yes" : "no");
    }
    session.print(t.render());
    return ExitCode.OK.code();
  }

  @Command(name = "create", description = "Register an image: a volume that already exists in a libvirt storage pool.")
  int create(
      @Parameters(paramLabel = "NAME", description = "The image's name, e.g. debian12.") String name,
      @Option(names = "--pool", required = true, paramLabel = "POOL", description = "The libvirt storage pool, e.g. default.") String pool,
      @Option(names = "--volume", required = true, paramLabel = "VOLUME", description = "The volume in the pool, e.g. debian-12.qcow2.") String volume,
      @Option(names = "--format", paramLabel = "FORMAT", description = "${COMPLETION-CANDIDATES} (default: qcow2).") @Nullable ImageFormat format,
      @Option(names = "--size", required = true, paramLabel = "GIB", converter = NonNegativeLong.class, description = "Virtual size in GiB.") long sizeGib,
      @Option(names = "--shared", description = "The pool is shared storage (needed for live migration and HA restarts elsewhere).") boolean shared) {
    ObjectNode body = Json.object().put("name", name).put("pool", pool).put("volume", volume);
    if (format != null) {
      body.put("format", format.wire());
    }
    body.put("sizeGib", sizeGib).put("shared", shared);
    JsonNode created = session.api().post("/images", body);
    session.report(created, "image " + name + " created");
    return ExitCode.OK.code();
  }

  @Command(name = "delete", description = "Delete an image. Refused (exit 4) while VM disks use it.")
  int delete(@Parameters(paramLabel = "NAME", description = "The image.") String name) {
    JsonNode answer = session.api().delete(CorralApi.path("images", name));
    session.report(answer, "image " + name + " deleted");
    return ExitCode.OK.code();
  }
}
