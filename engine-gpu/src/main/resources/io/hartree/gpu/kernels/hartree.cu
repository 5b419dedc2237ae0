// Kernels of the CUDA Hartree propagator (engine-gpu). Compiled at session start by NVRTC for
// the device's exact architecture; `nvcc --ptx` compiles the same file at build time as the
// fallback image. No #include: NVRTC has no system headers, and double2/float2, sincos and exp
// are built in. Every kernel is extern "C" (cuModuleGetFunction returns 500 for mangled names).
//
// Layout: complex arrays are interleaved re/im (double2/float2), C order (x slowest, z fastest),
// index (ix*n + iy)*n + iz, 64-bit. Grids are grid-stride loops over a fixed number of blocks of
// BLOCK threads, so reductions write one partial per block per quantity and a second pass sums
// the partials in a fixed order: results are deterministic, and no atomics on doubles are used.
// Reductions accumulate in double for both precisions.

#define BLOCK 256
typedef unsigned long long u64;

__device__ __forceinline__ void sincos_(double x, double* s, double* c) { sincos(x, s, c); }
__device__ __forceinline__ void sincos_(float x, float* s, float* c) { sincosf(x, s, c); }
__device__ __forceinline__ double exp_(double x) { return exp(x); }
__device__ __forceinline__ float exp_(float x) { return expf(x); }

// The potential factor of one point: e^{-i tw} v (real time) or e^{-tw} v (imaginary time), in the precision R.
template <typename R, typename R2>
__device__ __forceinline__ R2 potential_factor(R2 v, double tw, int imag) {
    R2 o;
    if (imag) {
        const R f = (R) exp(-tw);
        o.x = v.x * f; o.y = v.y * f;
    } else {
        R sn, cs;
        sincos_((R) tw, &sn, &cs);
        o.x = v.x * cs + v.y * sn;
        o.y = v.y * cs - v.x * sn;
    }
    return o;
}

// Signed FFT frequency index of j on an axis of n points: j if j < n/2 else j - n.
__device__ __forceinline__ int freq(int j, int n) { return j < n / 2 ? j : j - n; }

// (ix, iy, iz) of the C-order index i on an n^3 grid. 64-bit division costs tens of instructions
// on the GPU, so 32-bit arithmetic is used while n^3 < 2^32 (n <= 1625: every grid that fits a GPU).
__device__ __forceinline__ void split(u64 i, int n, int* ix, int* iy, int* iz) {
    if ((u64) n * n * n <= 0xffffffffULL) {
        const unsigned int j = (unsigned int) i, un = (unsigned int) n, q = j / un;
        *iz = (int) (j - q * un);
        *iy = (int) (q % un);
        *ix = (int) (q / un);
    } else {
        const u64 q = i / (u64) n;
        *iz = (int) (i - q * n);
        *iy = (int) (q % (u64) n);
        *ix = (int) (q / (u64) n);
    }
}

// Block-wide sum of v into shared memory; thread 0 gets the total (BLOCK = 256, a power of two).
__device__ __forceinline__ double block_sum(double v, double* sh) {
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int s = BLOCK / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
        __syncthreads();
    }
    double r = sh[0];
    __syncthreads();
    return r;
}

// psi_hat <- c * s * exp(-i tau a |k|^2) psi_hat (real time) or c * s * exp(-tau a |k|^2) psi_hat
// (imaginary time), |k|^2 computed from the index (no table read). c folds the 1/N of the
// following unnormalised inverse FFT; s = *scale when scale != 0 (imaginary-time renormalisation
// computed on the device). When partials != 0, writes per block sum |psi_hat'|^2 (for the norm).
template <typename R, typename R2>
__device__ void kick(R2* psi, int n, double dk, double atau, double c, const double* scale, int imag, double* partials) {
    __shared__ double sh[BLOCK];
    const u64 n3 = (u64) n * n * n;
    const double s = c * (scale ? *scale : 1.0);
    double acc = 0.0;
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < n3; i += (u64) gridDim.x * BLOCK) {
        int ix, iy, iz;
        split(i, n, &ix, &iy, &iz);
        const double kx = freq(ix, n), ky = freq(iy, n), kz = freq(iz, n);
        const double th = atau * dk * dk * (kx * kx + ky * ky + kz * kz);
        R2 v = psi[i];
        R2 o;
        if (imag) {
            const R f = (R) (s * exp(-th));
            o.x = v.x * f; o.y = v.y * f;
        } else {
            R sn, cs;
            sincos_((R) th, &sn, &cs);
            cs *= (R) s; sn *= (R) s;
            // (x + iy)(cos th - i sin th)
            o.x = v.x * cs + v.y * sn;
            o.y = v.y * cs - v.x * sn;
        }
        psi[i] = o;
        acc += (double) o.x * o.x + (double) o.y * o.y;
    }
    if (partials) {
        double t = block_sum(acc, sh);
        if (threadIdx.x == 0) partials[blockIdx.x] = t;
    }
}

// rho[m-layout corner] <- |psi|^2. m = n (periodic) or 2n (padded: the rest of rho stays zero,
// set once when the buffer is made). When partials != 0, writes per block sum |psi|^2 (the raw
// mass, from which the imaginary-time density scale is made on the device).
template <typename R, typename R2>
__device__ void density(const R2* psi, R* rho, int n, int m, double* partials) {
    __shared__ double sh[BLOCK];
    const u64 n3 = (u64) n * n * n;
    double acc = 0.0;
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < n3; i += (u64) gridDim.x * BLOCK) {
        int ix, iy, iz;
        split(i, n, &ix, &iy, &iz);
        const R2 v = psi[i];
        const R p = v.x * v.x + v.y * v.y;
        rho[((u64) ix * m + iy) * m + iz] = p;
        acc += (double) p;
    }
    if (partials) {
        double t = block_sum(acc, sh);
        if (threadIdx.x == 0) partials[blockIdx.x] = t;
    }
}

// rho_hat <- table * rho_hat on the r2c half grid (count = m*m*(m/2+1)); the table is
// engine-api's ConvolutionKernel table w/m^3 (the 1/m^3 of the unnormalised inverse included).
template <typename R, typename R2>
__device__ void spectrum_multiply(R2* rhohat, const R* table, u64 count) {
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < count; i += (u64) gridDim.x * BLOCK) {
        const R t = table[i];
        R2 v = rhohat[i];
        v.x *= t; v.y *= t;
        rhohat[i] = v;
    }
}

// U(x) at grid point (ix, iy, iz): the table when given, else the harmonic form sum c_d x_d^2 + off.
__device__ __forceinline__ double trap_at(const void* U, int single, u64 i, int ix, int iy, int iz,
                                          double x0, double dx, double cx, double cy, double cz, double off) {
    if (U) return single ? (double) ((const float*) U)[i] : ((const double*) U)[i];
    const double x = x0 + ix * dx, y = x0 + iy * dx, z = x0 + iz * dx;
    return cx * x * x + cy * y * y + cz * z * z + off;
}

// psi <- exp(-i tau W) psi (real time) or exp(-tau W) psi (imaginary), W = U + d vfac vrho[m-layout
// corner] when vrho != 0 (V*rho from the FFT convolution, vfac = 1; or a stored contact density,
// vfac = g), else W = U + d g |psi|^2 (contact; g = 0: no interaction). d = *dscale when dscale != 0:
// the imaginary-time density normalisation, computed on the device. LHY (gamma != 0): W += gamma (d rho)^(3/2),
// rho = lrho[i] (a stored start-of-step density, n^3) when lrho != 0, else |psi|^2; the split-step primitives
// pass d = 1 and fold their density scale s into gamma (gamma s^(3/2)).
template <typename R, typename R2>
__device__ void potential_phase(R2* psi, const R* vrho, double vfac, double g, const double* dscale, int n, int m,
                                double x0, double dx, double tau, int imag,
                                double cx, double cy, double cz, double off, const void* U, double gamma, const R* lrho) {
    const u64 n3 = (u64) n * n * n;
    const double d = dscale ? *dscale : 1.0;
    const int single = sizeof(R) == 4;
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < n3; i += (u64) gridDim.x * BLOCK) {
        int ix, iy, iz;
        split(i, n, &ix, &iy, &iz);
        double w = trap_at(U, single, i, ix, iy, iz, x0, dx, cx, cy, cz, off);
        R2 v = psi[i];
        if (vrho) w += d * vfac * (double) vrho[((u64) ix * m + iy) * m + iz];
        else w += d * g * ((double) v.x * v.x + (double) v.y * v.y);
        if (gamma != 0.0) {
            const double p = d * (lrho ? (double) lrho[i] : ((double) v.x * v.x + (double) v.y * v.y));
            w += gamma * p * sqrt(p);
        }
        psi[i] = potential_factor<R, R2>(v, tau * w, imag);
    }
}

#define NX_QUANTITIES 10
// Position-space sums, one partial per block per quantity q at partials[q*gridDim.x + block]:
// 0 |psi|^2, 1 U|psi|^2, 2 x|psi|^2, 3 y|psi|^2, 4 z|psi|^2, 5 |x|^2|psi|^2, 6 Re sum phi0 psi,
// 7 Im sum phi0 psi, 8 |psi|^2 beyond edge on some axis (|x_d| > edge; the default path passes 0.4 L:
// within L/10 of a face), 9 (V*rho)|psi|^2 (contact: g |psi|^4).
// phi0 = c0 exp(-|x|^2/2) is real, so <phi0, psi> = sum phi0 psi dV (the default path passes
// c0 = pi^(-3/4); the split-step primitives pass 1 and engine-api applies the constant).
template <typename R, typename R2>
__device__ void reduce_x(const R2* psi, const R* vrho, double g, int n, int m, double x0, double dx, double L,
                         double cx, double cy, double cz, double off, const void* U, double* partials, double edge, double c0) {
    __shared__ double sh[BLOCK];
    const u64 n3 = (u64) n * n * n;
    const int single = sizeof(R) == 4;
    double a[NX_QUANTITIES];
    for (int q = 0; q < NX_QUANTITIES; q++) a[q] = 0.0;
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < n3; i += (u64) gridDim.x * BLOCK) {
        int ix, iy, iz;
        split(i, n, &ix, &iy, &iz);
        const double x = x0 + ix * dx, y = x0 + iy * dx, z = x0 + iz * dx;
        const R2 v = psi[i];
        const double re = v.x, im = v.y, p = re * re + im * im, r2 = x * x + y * y + z * z;
        const double phi0 = c0 * exp(-0.5 * r2);
        a[0] += p;
        a[1] += trap_at(U, single, i, ix, iy, iz, x0, dx, cx, cy, cz, off) * p;
        a[2] += x * p; a[3] += y * p; a[4] += z * p; a[5] += r2 * p;
        a[6] += phi0 * re; a[7] += phi0 * im;
        if (fabs(x) > edge || fabs(y) > edge || fabs(z) > edge) a[8] += p;
        a[9] += (vrho ? (double) vrho[((u64) ix * m + iy) * m + iz] : g * p) * p;
    }
    for (int q = 0; q < NX_QUANTITIES; q++) {
        double t = block_sum(a[q], sh);
        if (threadIdx.x == 0) partials[q * gridDim.x + blockIdx.x] = t;
    }
}

// Sum of |psi|^5 = (|psi|^2)^(5/2) (the LHY energy), one partial per block.
template <typename R, typename R2>
__device__ void reduce_five(const R2* psi, int n, double* partials) {
    __shared__ double sh[BLOCK];
    const u64 n3 = (u64) n * n * n;
    double acc = 0.0;
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < n3; i += (u64) gridDim.x * BLOCK) {
        const R2 v = psi[i];
        const double p = (double) v.x * v.x + (double) v.y * v.y;
        acc += p * p * sqrt(p);
    }
    const double t = block_sum(acc, sh);
    if (threadIdx.x == 0) partials[blockIdx.x] = t;
}

#define NK_QUANTITIES 3
// Fourier-space sums: 0 |psi_hat|^2, 1 |k|^2 |psi_hat|^2, 2 |psi_hat|^2 where max_d |k_d| > kcut.
template <typename R, typename R2>
__device__ void reduce_k(const R2* psihat, int n, double dk, double kcut, double* partials) {
    __shared__ double sh[BLOCK];
    const u64 n3 = (u64) n * n * n;
    double a0 = 0.0, a1 = 0.0, a2 = 0.0;
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < n3; i += (u64) gridDim.x * BLOCK) {
        int ix, iy, iz;
        split(i, n, &ix, &iy, &iz);
        const double kx = dk * freq(ix, n), ky = dk * freq(iy, n), kz = dk * freq(iz, n);
        const R2 v = psihat[i];
        const double p = (double) v.x * v.x + (double) v.y * v.y;
        a0 += p;
        a1 += (kx * kx + ky * ky + kz * kz) * p;
        if (fmax(fabs(kx), fmax(fabs(ky), fabs(kz))) > kcut) a2 += p;
    }
    double t = block_sum(a0, sh);
    if (threadIdx.x == 0) partials[blockIdx.x] = t;
    t = block_sum(a1, sh);
    if (threadIdx.x == 0) partials[gridDim.x + blockIdx.x] = t;
    t = block_sum(a2, sh);
    if (threadIdx.x == 0) partials[2 * gridDim.x + blockIdx.x] = t;
}

// The rotating frame's mixed-representation factor (SplitStepKernels.axisPhase): the state is held with
// axis coord (0 = x, 1 = y) in position space and the other of x, y in Fourier space (z either way);
// psi <- scale * exp(i c x_a k_b) psi (real time) or scale * exp(-c x_a k_b) psi (imag), x_a = x0 + j*dx,
// k_b = dk * freq(j', n). The unnormalised 1D transforms around it are cuFFT's (plan many along x or y).
template <typename R, typename R2>
__device__ void axis_phase(R2* psi, int n, int coord, double x0, double dx, double dk, double c, int imag, double scale) {
    const u64 n3 = (u64) n * n * n;
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < n3; i += (u64) gridDim.x * BLOCK) {
        int ix, iy, iz;
        split(i, n, &ix, &iy, &iz);
        const double x = x0 + (coord == 0 ? ix : iy) * dx;
        const double k = dk * freq(coord == 0 ? iy : ix, n);
        const double arg = c * x * k;
        R2 v = psi[i];
        R2 o;
        if (imag) {
            const R f = (R) (scale * exp(-arg));
            o.x = v.x * f; o.y = v.y * f;
        } else {
            double sn, cs;
            sincos(arg, &sn, &cs);
            const R fr = (R) (scale * cs), fi = (R) (scale * sn);
            // (x + iy)(fr + i fi)
            o.x = v.x * fr - v.y * fi;
            o.y = v.x * fi + v.y * fr;
        }
        psi[i] = o;
    }
}

// ---- Several components (SplitStepKernels with Components: a batch of K <= 3 states) ----
// The coupled phase of state b: psi_b <- exp(-i tau W) psi_b (or exp(-tau W), imag),
// W = U_b + f0 w0[c] + f1 w1[c] + f2 w2[c], c the m-layout corner index of the point, w_j the mean field
// of source state j (V*rho_j on the m^3 grid of the FFT convolution, or a stored contact density rho_j
// with m = n) and f_j = c_bj s_j (times g for a contact density); a null w_j adds nothing (K = 2).
// U_b: the sampled table U when given, else the harmonic coefficients of component b.
template <typename R, typename R2>
__device__ void coupled_phase(R2* psi, int n, int m, const R* w0, const R* w1, const R* w2, double f0, double f1, double f2,
                              double x0, double dx, double tau, int imag, double cx, double cy, double cz, double off, const void* U) {
    const u64 n3 = (u64) n * n * n;
    const int single = sizeof(R) == 4;
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < n3; i += (u64) gridDim.x * BLOCK) {
        int ix, iy, iz;
        split(i, n, &ix, &iy, &iz);
        const u64 c = ((u64) ix * m + iy) * m + iz;
        double w = trap_at(U, single, i, ix, iy, iz, x0, dx, cx, cy, cz, off);
        if (w0) w += f0 * (double) w0[c];
        if (w1) w += f1 * (double) w1[c];
        if (w2) w += f2 * (double) w2[c];
        const R2 v = psi[i];
        psi[i] = potential_factor<R, R2>(v, tau * w, imag);
    }
}

// The Rabi mixing of k states held one after another (state b at psi + b*n3):
// psi_b <- alpha psi_b + beta sum_j psi_j at every point, all states at once (old values on the right),
// alpha = ar + i ai, beta = br + i bi. Pointwise, so it applies alike in real and Fourier space.
template <typename R, typename R2>
__device__ void rabi(R2* psi, int k, u64 n3, double ar, double ai, double br, double bi) {
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < n3; i += (u64) gridDim.x * BLOCK) {
        double sr = 0.0, si = 0.0;
        for (int q = 0; q < k; q++) { const R2 v = psi[q * n3 + i]; sr += v.x; si += v.y; }
        const double tr = br * sr - bi * si, ti = br * si + bi * sr;
        for (int q = 0; q < k; q++) {
            const R2 v = psi[q * n3 + i];
            R2 o;
            o.x = (R) (ar * v.x - ai * v.y + tr);
            o.y = (R) (ar * v.y + ai * v.x + ti);
            psi[q * n3 + i] = o;
        }
    }
}

#define NC_QUANTITIES 3
// Cross sums of two states, one partial per block per quantity q at partials[q*gridDim.x + block]:
// 0 Re sum conj(a) b, 1 Im sum conj(a) b (when b != 0, else 0), 2 sum w[m-layout corner] |a|^2 (when w != 0,
// else 0): the overlap of two Fourier-space states, and (V*rho_j) rho_i or rho_j rho_i of a real-space state.
template <typename R, typename R2>
__device__ void reduce_cross(const R2* a, const R2* b, const R* w, int n, int m, double* partials) {
    __shared__ double sh[BLOCK];
    const u64 n3 = (u64) n * n * n;
    double a0 = 0.0, a1 = 0.0, a2 = 0.0;
    for (u64 i = (u64) blockIdx.x * BLOCK + threadIdx.x; i < n3; i += (u64) gridDim.x * BLOCK) {
        const R2 u = a[i];
        if (b) {
            const R2 v = b[i];
            a0 += (double) u.x * v.x + (double) u.y * v.y;
            a1 += (double) u.x * v.y - (double) u.y * v.x;
        }
        if (w) {
            int ix, iy, iz;
            split(i, n, &ix, &iy, &iz);
            a2 += (double) w[((u64) ix * m + iy) * m + iz] * ((double) u.x * u.x + (double) u.y * u.y);
        }
    }
    double t = block_sum(a0, sh);
    if (threadIdx.x == 0) partials[blockIdx.x] = t;
    t = block_sum(a1, sh);
    if (threadIdx.x == 0) partials[gridDim.x + blockIdx.x] = t;
    t = block_sum(a2, sh);
    if (threadIdx.x == 0) partials[2 * gridDim.x + blockIdx.x] = t;
}

extern "C" {

__global__ void __launch_bounds__(BLOCK) axis_phase_f64(double2* psi, int n, int coord, double x0, double dx, double dk, double c, int imag, double scale) { axis_phase<double, double2>(psi, n, coord, x0, dx, dk, c, imag, scale); }
__global__ void __launch_bounds__(BLOCK) axis_phase_f32(float2* psi, int n, int coord, double x0, double dx, double dk, double c, int imag, double scale) { axis_phase<float, float2>(psi, n, coord, x0, dx, dk, c, imag, scale); }

__global__ void __launch_bounds__(BLOCK) kick_f64(double2* psi, int n, double dk, double atau, double c, const double* scale, int imag, double* partials) { kick<double, double2>(psi, n, dk, atau, c, scale, imag, partials); }
__global__ void __launch_bounds__(BLOCK) kick_f32(float2* psi, int n, double dk, double atau, double c, const double* scale, int imag, double* partials) { kick<float, float2>(psi, n, dk, atau, c, scale, imag, partials); }

__global__ void __launch_bounds__(BLOCK) density_f64(const double2* psi, double* rho, int n, int m, double* partials) { density<double, double2>(psi, rho, n, m, partials); }
__global__ void __launch_bounds__(BLOCK) density_f32(const float2* psi, float* rho, int n, int m, double* partials) { density<float, float2>(psi, rho, n, m, partials); }

__global__ void __launch_bounds__(BLOCK) spectrum_multiply_f64(double2* rhohat, const double* table, u64 count) { spectrum_multiply<double, double2>(rhohat, table, count); }
__global__ void __launch_bounds__(BLOCK) spectrum_multiply_f32(float2* rhohat, const float* table, u64 count) { spectrum_multiply<float, float2>(rhohat, table, count); }

__global__ void __launch_bounds__(BLOCK) potential_phase_f64(double2* psi, const double* vrho, double vfac, double g, const double* dscale, int n, int m, double x0, double dx, double tau, int imag, double cx, double cy, double cz, double off, const double* U) { potential_phase<double, double2>(psi, vrho, vfac, g, dscale, n, m, x0, dx, tau, imag, cx, cy, cz, off, U, 0.0, nullptr); }
__global__ void __launch_bounds__(BLOCK) potential_phase_f32(float2* psi, const float* vrho, double vfac, double g, const double* dscale, int n, int m, double x0, double dx, double tau, int imag, double cx, double cy, double cz, double off, const float* U) { potential_phase<float, float2>(psi, vrho, vfac, g, dscale, n, m, x0, dx, tau, imag, cx, cy, cz, off, U, 0.0, nullptr); }
__global__ void __launch_bounds__(BLOCK) potential_phase_lhy_f64(double2* psi, const double* vrho, double vfac, double g, const double* dscale, int n, int m, double x0, double dx, double tau, int imag, double cx, double cy, double cz, double off, const double* U, double gamma, const double* lrho) { potential_phase<double, double2>(psi, vrho, vfac, g, dscale, n, m, x0, dx, tau, imag, cx, cy, cz, off, U, gamma, lrho); }
__global__ void __launch_bounds__(BLOCK) potential_phase_lhy_f32(float2* psi, const float* vrho, double vfac, double g, const double* dscale, int n, int m, double x0, double dx, double tau, int imag, double cx, double cy, double cz, double off, const float* U, double gamma, const float* lrho) { potential_phase<float, float2>(psi, vrho, vfac, g, dscale, n, m, x0, dx, tau, imag, cx, cy, cz, off, U, gamma, lrho); }
__global__ void __launch_bounds__(BLOCK) reduce_five_f64(const double2* psi, int n, double* partials) { reduce_five<double, double2>(psi, n, partials); }
__global__ void __launch_bounds__(BLOCK) reduce_five_f32(const float2* psi, int n, double* partials) { reduce_five<float, float2>(psi, n, partials); }

__global__ void __launch_bounds__(BLOCK) coupled_phase_f64(double2* psi, int n, int m, const double* w0, const double* w1, const double* w2, double f0, double f1, double f2, double x0, double dx, double tau, int imag, double cx, double cy, double cz, double off, const double* U) { coupled_phase<double, double2>(psi, n, m, w0, w1, w2, f0, f1, f2, x0, dx, tau, imag, cx, cy, cz, off, U); }
__global__ void __launch_bounds__(BLOCK) coupled_phase_f32(float2* psi, int n, int m, const float* w0, const float* w1, const float* w2, double f0, double f1, double f2, double x0, double dx, double tau, int imag, double cx, double cy, double cz, double off, const float* U) { coupled_phase<float, float2>(psi, n, m, w0, w1, w2, f0, f1, f2, x0, dx, tau, imag, cx, cy, cz, off, U); }
__global__ void __launch_bounds__(BLOCK) rabi_f64(double2* psi, int k, u64 n3, double ar, double ai, double br, double bi) { rabi<double, double2>(psi, k, n3, ar, ai, br, bi); }
__global__ void __launch_bounds__(BLOCK) rabi_f32(float2* psi, int k, u64 n3, double ar, double ai, double br, double bi) { rabi<float, float2>(psi, k, n3, ar, ai, br, bi); }
__global__ void __launch_bounds__(BLOCK) reduce_cross_f64(const double2* a, const double2* b, const double* w, int n, int m, double* partials) { reduce_cross<double, double2>(a, b, w, n, m, partials); }
__global__ void __launch_bounds__(BLOCK) reduce_cross_f32(const float2* a, const float2* b, const float* w, int n, int m, double* partials) { reduce_cross<float, float2>(a, b, w, n, m, partials); }

__global__ void __launch_bounds__(BLOCK) reduce_x_f64(const double2* psi, const double* vrho, double g, int n, int m, double x0, double dx, double L, double cx, double cy, double cz, double off, const double* U, double* partials, double edge, double c0) { reduce_x<double, double2>(psi, vrho, g, n, m, x0, dx, L, cx, cy, cz, off, U, partials, edge, c0); }
__global__ void __launch_bounds__(BLOCK) reduce_x_f32(const float2* psi, const float* vrho, double g, int n, int m, double x0, double dx, double L, double cx, double cy, double cz, double off, const float* U, double* partials, double edge, double c0) { reduce_x<float, float2>(psi, vrho, g, n, m, x0, dx, L, cx, cy, cz, off, U, partials, edge, c0); }

__global__ void __launch_bounds__(BLOCK) reduce_k_f64(const double2* psihat, int n, double dk, double kcut, double* partials) { reduce_k<double, double2>(psihat, n, dk, kcut, partials); }
__global__ void __launch_bounds__(BLOCK) reduce_k_f32(const float2* psihat, int n, double dk, double kcut, double* partials) { reduce_k<float, float2>(psihat, n, dk, kcut, partials); }

// out[q] <- sum over b of partials[q*nblocks + b], in block order; one block per quantity q.
__global__ void __launch_bounds__(BLOCK) finalize_sums(const double* partials, int nblocks, double* out) {
    __shared__ double sh[BLOCK];
    const double* p = partials + (u64) blockIdx.x * nblocks;
    double acc = 0.0;
    for (int b = threadIdx.x; b < nblocks; b += BLOCK) acc += p[b];
    double t = block_sum(acc, sh);
    if (threadIdx.x == 0) out[blockIdx.x] = t;
}

// *scale_out <- 1/sqrt(factor * sum partials) (root != 0: the imaginary-time renormalisation) or
// 1/(factor * sum partials) (root == 0: the density normalisation), kept on the device.
__global__ void __launch_bounds__(BLOCK) norm_scale(const double* partials, int nblocks, double factor, int root, double* scale_out) {
    __shared__ double sh[BLOCK];
    double acc = 0.0;
    for (int b = threadIdx.x; b < nblocks; b += BLOCK) acc += partials[b];
    double t = block_sum(acc, sh);
    if (threadIdx.x == 0) *scale_out = root ? 1.0 / sqrt(factor * t) : 1.0 / (factor * t);
}

// y <- A x for a CSR matrix with 64-bit row pointers (sectors beyond 2^31 non-zeros), one thread
// per row, no atomics: each row's sum is owned by one thread.
__global__ void __launch_bounds__(BLOCK) csr_spmv_c128(const u64* rowptr, const long long* col, const double2* val,
                                                       const double2* x, double2* y, u64 rows) {
    for (u64 r = (u64) blockIdx.x * BLOCK + threadIdx.x; r < rows; r += (u64) gridDim.x * BLOCK) {
        double re = 0.0, im = 0.0;
        for (u64 j = rowptr[r]; j < rowptr[r + 1]; j++) {
            const double2 a = val[j], b = x[col[j]];
            re += a.x * b.x - a.y * b.y;
            im += a.x * b.y + a.y * b.x;
        }
        double2 o; o.x = re; o.y = im;
        y[r] = o;
    }
}

// *p <- v, one thread: the fused step (cuFFT callbacks, hartree_callbacks.cu) reads its kick factor
// from device memory, and this sets it between the first step (half kick) and the rest (whole kicks)
// without a host transfer.
__global__ void __launch_bounds__(BLOCK) set_f64(double* p, double v) {
    if (blockIdx.x == 0 && threadIdx.x == 0) *p = v;
}

}  // extern "C"
