// cuFFT LTO callbacks of the fused real-time Strang step (engine-gpu, CudaHartreePropagator).
// Compiled at session start by NVRTC to LTO-IR (-dlto, relocatable device code) and handed to
// cufftXtSetJITCallback; cuFFT links them into its own transform kernels, so the four elementwise
// passes of a step (kick, density, spectrum multiply, potential phase) ride on the transforms'
// first reads and last writes instead of passing over memory on their own:
//
//   inverse Z2Z  load:  hartree_cb_kick     psi_hat * c exp(-i atau dk^2 |k|^2)      (kick, 1/N folded in)
//                store: hartree_cb_density  psi, and rho = |psi|^2                   (density)
//   D2Z          store: hartree_cb_table    rho_hat * table                          (spectrum multiply)
//   Z2D          plain                      rho <- V*rho
//   forward Z2Z  load:  hartree_cb_phase    psi * exp(-i tau (U + V*rho))            (potential phase)
//
// The arithmetic is the kernels' of hartree.cu (kick, density, spectrum_multiply, potential_phase)
// in the same order. No #include: cuFFT declares each callback itself with the signatures of
// cufftXt.h (cufftJITCallbackLoadZ, cufftJITCallbackStoreZ; cufftDoubleComplex is double2), so
// these functions have exactly those C++ signatures and C++ linkage (not extern "C"): cuFFT finds
// them by name. Periodic convolution only (the density grid is the state's, m = n), double
// precision, real time.

typedef unsigned long long u64;

// The callbacks' parameters, one struct in device memory (callerInfo). Every field is 8 bytes, so
// the layout is the byte offsets written by CudaHartreePropagator.CallbackInfo (0, 8, ..., 104).
struct HartreeCallbackInfo {
    double atau;        //   0  kick: a * tau of this kick (half at the first step, whole after)
    double dk;          //   8  2 pi / L
    double c;           //  16  1/N, the inverse transform's normalisation
    double tau;         //  24  phase step dt
    double x0, dx;      //  32, 40
    double cx, cy, cz;  //  48, 56, 64  harmonic trap U = cx x^2 + cy y^2 + cz z^2 + off
    double off;         //  72
    double* rho;        //  80  density (written by the inverse store), V*rho (read by the phase load)
    const double* table;//  88  V-hat table on the r2c half grid, 1/N of the Z2D included
    const double* U;    //  96  sampled trap U(x), or 0 for the harmonic form
    long long n;        // 104  points per axis
};

// hartree.cu's freq and split, repeated: each file is compiled alone (NVRTC has no include path here).
__device__ __forceinline__ int cb_freq(int j, int n) { return j < n / 2 ? j : j - n; }

__device__ __forceinline__ void cb_split(u64 i, int n, int* ix, int* iy, int* iz) {
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

__device__ double2 hartree_cb_kick(void* dataIn, unsigned long long offset, void* callerInfo, void* sharedPointer) {
    const HartreeCallbackInfo* p = (const HartreeCallbackInfo*) callerInfo;
    const int n = (int) p->n;
    int ix, iy, iz;
    cb_split(offset, n, &ix, &iy, &iz);
    const double kx = cb_freq(ix, n), ky = cb_freq(iy, n), kz = cb_freq(iz, n);
    const double th = p->atau * p->dk * p->dk * (kx * kx + ky * ky + kz * kz);
    const double2 v = ((const double2*) dataIn)[offset];
    double sn, cs;
    sincos(th, &sn, &cs);
    cs *= p->c; sn *= p->c;
    double2 o;
    o.x = v.x * cs + v.y * sn;
    o.y = v.y * cs - v.x * sn;
    return o;
}

__device__ void hartree_cb_density(void* dataOut, unsigned long long offset, double2 element, void* callerInfo, void* sharedPointer) {
    const HartreeCallbackInfo* p = (const HartreeCallbackInfo*) callerInfo;
    ((double2*) dataOut)[offset] = element;
    p->rho[offset] = element.x * element.x + element.y * element.y;
}

__device__ void hartree_cb_table(void* dataOut, unsigned long long offset, double2 element, void* callerInfo, void* sharedPointer) {
    const HartreeCallbackInfo* p = (const HartreeCallbackInfo*) callerInfo;
    const double t = p->table[offset];
    element.x *= t; element.y *= t;
    ((double2*) dataOut)[offset] = element;
}

__device__ double2 hartree_cb_phase(void* dataIn, unsigned long long offset, void* callerInfo, void* sharedPointer) {
    const HartreeCallbackInfo* p = (const HartreeCallbackInfo*) callerInfo;
    const int n = (int) p->n;
    int ix, iy, iz;
    cb_split(offset, n, &ix, &iy, &iz);
    double w;
    if (p->U) {
        w = p->U[offset];
    } else {
        const double x = p->x0 + ix * p->dx, y = p->x0 + iy * p->dx, z = p->x0 + iz * p->dx;
        w = p->cx * x * x + p->cy * y * y + p->cz * z * z + p->off;
    }
    w += p->rho[offset];
    const double2 v = ((const double2*) dataIn)[offset];
    double sn, cs;
    sincos(p->tau * w, &sn, &cs);
    double2 o;
    o.x = v.x * cs + v.y * sn;
    o.y = v.y * cs - v.x * sn;
    return o;
}
