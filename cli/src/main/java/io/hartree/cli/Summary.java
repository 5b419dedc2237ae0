package io.hartree.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hartree.api.Observables;
import io.hartree.api.io.AtomicFiles;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * summary.json: what ran where, how fast, and the numbers a physicist checks first. Keys are
 * documented in docs/cli.md; non-finite numbers are written as null (JSON has no NaN).
 */
final class Summary {
    private final Map<String, Object> m = new LinkedHashMap<>();
    /** The run's physical units, or null for a dimensionless run. */
    private final io.hartree.api.model.PhysicalUnits units;

    Summary(Job job, String command) {
        RunConfig c = job.config;
        m.put("command", command);
        m.put("version", new Main.Version().getVersion()[0]);
        m.put("backend", job.session.backend());
        m.put("device", job.session.device());
        m.put("backend_selection", job.selection.explanation());
        m.put("precision", c.precision());
        m.put("threads", c.threads());
        m.put("grid_n", c.grid());
        m.put("box_L", c.box());
        m.put("dx", c.gridModel().dx());
        if (c.usesNu()) m.put("nu", c.nu());
        m.put("trap", c.trap());
        m.put("interaction", c.interaction());
        m.put("convolution", c.conv());
        m.put("scheme", c.scheme());
        m.put("initial", c.initial());
        m.put("dt", c.dt());
        units = c.units().orElse(null);
        if (units != null) m.put("units", units.describe());
    }

    Summary put(String key, Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) value = null;
        m.put(key, value);
        return this;
    }

    /**
     * Initial and final observables and the largest deviation of the norm over the series; in real
     * time also the largest energy deviation (conservation). In imaginary time the energy is not
     * conserved but decreases: there {@code energy_decrease} = E(0) − E_final replaces it.
     */
    Summary observables(List<ObservablesCsv.Row> rows, boolean imaginaryTime) {
        Observables first = rows.getFirst().o(), last = rows.getLast().o();
        double dn = 0, de = 0;
        for (var r : rows) {
            dn = Math.max(dn, Math.abs(r.o().norm() - first.norm()));
            de = Math.max(de, Math.abs(r.o().energy() - first.energy()));
        }
        put("norm_initial", first.norm());
        put("norm_final", last.norm());
        put("energy_initial", first.energy());
        put("energy_final", last.energy());
        put("x2_initial", first.x2());
        put("x2_final", last.x2());
        put("kinetic_final", last.kinetic());
        put("trap_final", last.trap());
        put("interaction_final", last.interaction());
        put("chemical_potential_final", last.chemicalPotential());
        put("mean_x_final", List.of(last.meanX(), last.meanY(), last.meanZ()));
        put("overlap0_final", last.overlap0());
        put("edge_mass_max", rows.stream().mapToDouble(r -> r.o().edgeMass()).max().orElse(0));
        put("spectral_tail_max", rows.stream().mapToDouble(r -> r.o().spectralTail()).max().orElse(0));
        put("norm_error_max", dn);
        if (units != null) {
            // The same final numbers in the experiment's units (energies per particle, as the dimensionless ones).
            Map<String, Object> si = new LinkedHashMap<>();
            double l = units.lengthUnitM(), eK = units.energyUnitK();
            si.put("time_final_s", last.time() * units.timeUnitS());
            si.put("energy_final_nK", last.energy() * eK * 1e9);
            si.put("chemical_potential_final_nK", last.chemicalPotential() * eK * 1e9);
            si.put("x2_final_um2", last.x2() * l * l * 1e12);
            si.put("rms_radius_final_um", Math.sqrt(last.x2()) * l * 1e6);
            si.put("mean_x_final_um", List.of(last.meanX() * l * 1e6, last.meanY() * l * 1e6, last.meanZ() * l * 1e6));
            si.put("box_L_um", m.get("box_L") instanceof Double b ? b * l * 1e6 : null);
            put("physical_final", si);
        }
        if (imaginaryTime) {
            put("energy_decrease", first.energy() - last.energy());
        } else {
            put("energy_error_max", de);
            put("energy_error_relative", first.energy() == 0 ? null : de / Math.abs(first.energy()));
        }
        return this;
    }

    void write(Path file) {
        try {
            AtomicFiles.writeString(file, Checkpoint.JSON.writeValueAsString(m) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Object> timings(double setup, double propagate, double observe, double output, double total) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("setup_s", setup);
        t.put("propagate_s", propagate);
        t.put("observe_s", observe);
        t.put("output_s", output);
        t.put("total_s", total);
        return t;
    }
}
