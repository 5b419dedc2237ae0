package io.hartree.cli;

import io.hartree.api.ParameterException;
import io.hartree.api.Observables;
import io.hartree.api.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The time series of a run, {@code observables.csv}: one header row, then one row per
 * observation, comma-separated, every {@link Observables} field printed with 17 significant
 * digits (a double read back is the double written). The first column is the step number; the
 * columns after it are the record's fields in order. Readable by
 * {@code numpy.loadtxt(f, delimiter=",", skiprows=1)} and {@code pandas.read_csv(f)}.
 */
public final class ObservablesCsv {
    private ObservablesCsv() {}

    /** One observation: the step number and the observables after that step. */
    public record Row(long step, Observables o, double[] components, String componentHeader) {
        /** A row of one component. */
        public Row(long step, Observables o) { this(step, o, null, null); }
    }

    /** The header of files written before the rotating frame's columns (read back, 15 columns). */
    static final String HEADER_V1 = "step,time,norm,energy,kinetic,trap,interaction,chemical_potential,"
            + "mean_x,mean_y,mean_z,x2,overlap0,edge_mass,spectral_tail";
    /** Rotating frame (docs/hartree.md): ⟨L_z⟩, the lab-frame energy, the vortex count on z = 0. */
    public static final String HEADER = HEADER_V1 + ",angular_momentum,lab_energy,vortices";

    public static String format(Row r) {
        Observables o = r.o();
        String line = r.step() + "," + String.join(",", g(o.time()), g(o.norm()), g(o.energy()), g(o.kinetic()), g(o.trap()),
                g(o.interaction()), g(o.chemicalPotential()), g(o.meanX()), g(o.meanY()), g(o.meanZ()), g(o.x2()),
                g(o.overlap0()), g(o.edgeMass()), g(o.spectralTail()), g(o.angularMomentum()), g(o.labEnergy()),
                Integer.toString(o.vortices()));
        if (r.components() != null) for (double v : r.components()) line += "," + g(v);
        return line;
    }

    private static String g(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }

    /** Writes all rows atomically (the file is never seen half-written). */
    public static void write(Path file, List<Row> rows) {
        // A --components run appends norm_i, energy_i (its rows carry them; the totals are the standard columns).
        String extra = rows.isEmpty() || rows.getFirst().componentHeader() == null ? "" : rows.getFirst().componentHeader();
        StringBuilder sb = new StringBuilder(HEADER).append(extra).append('\n');
        for (Row r : rows) sb.append(format(r)).append('\n');
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Reads a file written by {@link #write}; a missing file is an empty series. */
    public static List<Row> read(Path file) {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(file)) return rows;
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ParameterException("--resume", "cannot read " + file + ": " + e.getMessage());
        }
        if (lines.isEmpty() || !lines.getFirst().equals(HEADER) && !lines.getFirst().equals(HEADER_V1))
            throw new ParameterException("--resume", file + " does not start with the header " + HEADER);
        int columns = lines.getFirst().equals(HEADER) ? 18 : 15;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] f = line.split(",");
            if (f.length != columns) throw new ParameterException("--resume", file + " line " + (i + 1) + " has " + f.length + " columns, expected " + columns);
            try {
                double[] d = new double[17];
                for (int j = 0; j < columns - 1; j++) d[j] = Double.parseDouble(f[j + 1]);
                if (columns == 15) d[15] = d[2];  // no rotation: the lab energy is the energy
                rows.add(new Row(Long.parseLong(f[0]), new Observables(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13],
                        d[14], d[15], (int) d[16])));
            } catch (NumberFormatException e) {
                throw new ParameterException("--resume", file + " line " + (i + 1) + " is not numeric: " + e.getMessage());
            }
        }
        return rows;
    }
}
