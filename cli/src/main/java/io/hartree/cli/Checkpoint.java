package io.hartree.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hartree.api.ParameterException;
import io.hartree.api.io.AtomicFiles;
import io.hartree.api.io.Npy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A checkpoint: the state in {@code checkpoint.npy} (complex128 (n, n, n), like psi_final.npy)
 * and where the run stood in {@code checkpoint.json}. Both are written atomically, the NPY
 * first; the JSON holds a CRC-32C of the state, so a run stopped between the two writes is
 * detected on resume instead of continuing from a state that belongs to another step.
 *
 * @param step              steps done
 * @param time              propagator time after those steps
 * @param propagateSeconds  wall time spent in advance() so far (for seconds_per_step)
 * @param observeSeconds    wall time spent in observe() so far
 * @param warnings          warnings raised so far
 */
record Checkpoint(long step, double time, double propagateSeconds, double observeSeconds, List<String> warnings) {

    static void write(Path dir, Checkpoint c, MemorySegment psi, int n) {
        Npy.writeComplex(dir.resolve(RunFolder.CHECKPOINT_NPY), psi, n, n, n);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", c.step);
        m.put("time", c.time);
        m.put("propagate_seconds", c.propagateSeconds);
        m.put("observe_seconds", c.observeSeconds);
        m.put("warnings", c.warnings);
        m.put("state_crc32c", crc(psi));
        m.put("written", java.time.Instant.now().toString());
        try {
            AtomicFiles.writeString(dir.resolve(RunFolder.CHECKPOINT_JSON), JSON.writeValueAsString(m) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads the checkpoint of {@code dir}; the state goes into {@code psiOut} (2n³ doubles, long-indexed). */
    static Checkpoint read(Path dir, int n, MemorySegment psiOut) {
        Path json = dir.resolve(RunFolder.CHECKPOINT_JSON), npy = dir.resolve(RunFolder.CHECKPOINT_NPY);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(npy))
            throw new ParameterException("--resume", dir + " holds no checkpoint (" + RunFolder.CHECKPOINT_JSON + " and " + RunFolder.CHECKPOINT_NPY + "); a run checkpoints every --checkpoint-every seconds");
        JsonNode j;
        try {
            j = JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new ParameterException("--resume", json + " is not valid JSON: " + e.getMessage());
        }
        for (String k : List.of("step", "time", "propagate_seconds", "observe_seconds", "state_crc32c"))
            if (!j.hasNonNull(k) || !j.get(k).isNumber()) throw new ParameterException("--resume", json + " lacks the number '" + k + "'");
        Npy.readComplexInto(npy, "--resume", psiOut, n, n, n);
        if (crc(psiOut) != j.get("state_crc32c").asLong())
            throw new ParameterException("--resume", npy + " does not match " + json + " (the run stopped while writing a checkpoint); no consistent checkpoint to resume from");
        List<String> w = new ArrayList<>();
        if (j.has("warnings")) j.get("warnings").forEach(x -> w.add(x.asText()));
        return new Checkpoint(j.get("step").asLong(), j.get("time").asDouble(), j.get("propagate_seconds").asDouble(),
                j.get("observe_seconds").asDouble(), w);
    }

    /** CRC-32C of the doubles as little-endian bytes (the bytes of the NPY's data), long-indexed. */
    static long crc(MemorySegment psi) {
        CRC32C c = new CRC32C();
        byte[] buf = new byte[1 << 16];
        var le = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        long values = psi.byteSize() / Double.BYTES;
        for (long done = 0; done < values; ) {
            int len = (int) Math.min(values - done, buf.length / Double.BYTES);
            MemorySegment.copy(psi, ValueLayout.JAVA_DOUBLE_UNALIGNED, done * Double.BYTES, MemorySegment.ofArray(buf), le, 0, len);
            c.update(buf, 0, len * Double.BYTES);
            done += len;
        }
        return c.getValue();
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
}
