package io.hartree.cli.fields;

import io.hartree.api.io.AtomicFiles;
import io.hartree.api.model.Grid3D;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * fields.xdmf, the sidecar that lets ParaView and VisIt open fields.h5 as it is: a Temporal
 * collection of Uniform grids, one per snapshot, each a 3DCoRectMesh with ORIGIN_DXDYDZ geometry
 * and the snapshot's density, phase, re and im as node-centred scalars read from fields.h5. Dimensions,
 * origin and spacing are given in z y x order, matching the datasets' [z][y][x] storage (the
 * layout every ParaView XDMF reader reads; /work/shared/paraview/README.md). Rewritten whole and
 * atomically after each snapshot, so it always lists exactly the snapshots /time holds.
 */
public final class Xdmf {
    private Xdmf() {}

    public static final String NAME = "fields.xdmf";

    /** The XDMF text for snapshots at {@code times} in {@code h5Name} (a path relative to the .xdmf file). */
    public static String text(Grid3D g, List<Double> times, String h5Name) {
        int n = g.n();
        String dims = n + " " + n + " " + n;
        double o = g.x(0), d = g.dx();
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" ?>\n<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n<Xdmf Version=\"3.0\">\n  <Domain>\n");
        s.append("    <Grid Name=\"fields\" GridType=\"Collection\" CollectionType=\"Temporal\">\n");
        for (int i = 0; i < times.size(); i++) {
            String grp = h5Name + ":" + FieldsFile.group(i);
            s.append(String.format(Locale.ROOT, "      <Grid Name=\"snapshot_%06d\" GridType=\"Uniform\">%n", i));
            s.append(String.format(Locale.ROOT, "        <Time Value=\"%s\"/>%n", Double.toString(times.get(i))));
            s.append("        <Topology TopologyType=\"3DCoRectMesh\" Dimensions=\"").append(dims).append("\"/>\n");
            s.append("        <Geometry GeometryType=\"ORIGIN_DXDYDZ\">\n");
            s.append(String.format(Locale.ROOT, "          <DataItem Format=\"XML\" NumberType=\"Float\" Precision=\"8\" Dimensions=\"3\">%s %s %s</DataItem>%n",
                    Double.toString(o), Double.toString(o), Double.toString(o)));
            s.append(String.format(Locale.ROOT, "          <DataItem Format=\"XML\" NumberType=\"Float\" Precision=\"8\" Dimensions=\"3\">%s %s %s</DataItem>%n",
                    Double.toString(d), Double.toString(d), Double.toString(d)));
            s.append("        </Geometry>\n");
            for (String f : List.of("density", "phase", "re", "im")) {
                s.append("        <Attribute Name=\"").append(f).append("\" AttributeType=\"Scalar\" Center=\"Node\">\n");
                s.append("          <DataItem Format=\"HDF\" NumberType=\"Float\" Precision=\"8\" Dimensions=\"").append(dims).append("\">")
                        .append(grp).append('/').append(f).append("</DataItem>\n");
                s.append("        </Attribute>\n");
            }
            s.append("      </Grid>\n");
        }
        s.append("    </Grid>\n  </Domain>\n</Xdmf>\n");
        return s.toString();
    }

    /** Writes {@code dir}/fields.xdmf for the snapshots at {@code times} in {@code dir}/fields.h5, atomically. */
    public static void write(Path dir, Grid3D g, List<Double> times) {
        AtomicFiles.writeString(dir.resolve(NAME), text(g, times, FieldsFile.NAME));
    }
}
