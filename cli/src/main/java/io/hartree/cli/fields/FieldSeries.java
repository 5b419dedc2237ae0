package io.hartree.cli.fields;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A time series of states written as the run goes (fields.h5, see {@link FieldsFile}). The rest of
 * the CLI sees only this interface; the HDF5 library and its JavaCPP types stay in this package.
 */
public interface FieldSeries extends AutoCloseable {
    /**
     * Appends ψ at ({@code step}, {@code time}): {@code psi} is 2n³ interleaved doubles in the
     * engine's order (x slowest, z fastest, as psi_final.npy), {@code columns} its column densities.
     * When this returns, the snapshot is on disk (flushed) and the file is valid if the process dies next.
     */
    void append(long step, double time, MemorySegment psi, ColumnDensity columns);

    /** The steps of the snapshots held, in order. */
    List<Long> steps();

    /** The times of the snapshots held, in order. */
    List<Double> times();

    @Override
    void close();
}
