package io.hartree.gpu.cuda;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Status names and stickiness against the sheet's lists (cuda-status-sheet.tsv, generated from CUDA_API.md). */
class CudaStatusTest {
    @Test
    void everyCodeOfTheSheetHasItsHeaderName() throws IOException {
        int n = 0;
        Set<Integer> sticky = new HashSet<>();
        try (var r = new BufferedReader(new InputStreamReader(getClass().getResourceAsStream("/cuda-status-sheet.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] t = line.split("\t", -1);
                CudaStatus.Api api = CudaStatus.Api.valueOf(t[0]);
                int code = Integer.parseInt(t[1]);
                assertEquals(t[2], CudaStatus.name(api, code), api + " " + code);
                assertEquals(t[3].equals("sticky"), CudaStatus.sticky(api, code), api + " " + code + " sticky");
                if (t[3].equals("sticky")) sticky.add(code);
                n++;
            }
        }
        // 34 driver (23 + 11 sticky) + 12 NVRTC + 21 cuFFT + 10 cuBLAS + 12 cuSOLVER rows in the sheet's lists
        assertEquals(89, n, "codes checked");
        assertEquals(CudaStatus.STICKY, sticky, "sticky set equals the sheet's");
    }

    @Test
    void checkNamesCallCodeAndMeaning() {
        CudaException e = assertThrows(CudaException.class, () -> CudaStatus.check(CudaStatus.Api.CUFFT, 6, "cufftExecZ2Z"));
        assertEquals("cufftExecZ2Z failed: 6 CUFFT_EXEC_FAILED", e.getMessage());
        assertFalse(e.sticky());
        CudaException s = CudaStatus.error(CudaStatus.Api.DRIVER, 700, "cuStreamSynchronize");
        assertTrue(s.sticky());
        assertTrue(s.getMessage().startsWith("cuStreamSynchronize failed: 700 CUDA_ERROR_ILLEGAL_ADDRESS"), s.getMessage());
        assertTrue(s.getMessage().contains("close the session"), s.getMessage());
        // 701 (launch out of resources) is recoverable: the sheet lists it outside the sticky set.
        assertFalse(CudaStatus.error(CudaStatus.Api.DRIVER, 701, "cuLaunchKernel").sticky());
        // The same number means different things in different libraries: 700 from cuBLAS is not a sticky driver error.
        assertFalse(CudaStatus.sticky(CudaStatus.Api.CUBLAS, 700));
        assertEquals("unrecognised status 12345", CudaStatus.name(CudaStatus.Api.DRIVER, 12345));
        assertDoesNotThrow(() -> CudaStatus.check(CudaStatus.Api.NVRTC, 0, "nvrtcVersion"));
    }

    @Test
    void outOfMemorySaysAskedFreeAndWhatToReduce() {
        // 1.5 GiB = 1610612736 bytes exactly; 512 MiB = 536870912.
        String m = OutOfMemory.message(1610612736L, 536870912L, "the state φ (512³ complex)");
        assertTrue(m.contains("asked 1.50 GiB (1610612736 bytes) for the state φ (512³ complex)"), m);
        assertTrue(m.contains("512.00 MiB (536870912 bytes) free"), m);
        assertTrue(m.contains("--grid") && m.contains("--precision single"), m);
        assertEquals("1023 B", OutOfMemory.bytes(1023));
    }
}
