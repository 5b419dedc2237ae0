// hartree.cu's kernels on the host, for tests without a GPU (HostKernelsTest): a prelude maps the CUDA
// built-ins to C++ (one block at a time of BLOCK std::threads, __syncthreads a std::barrier, __shared__
// a static array shared by the block's threads), then the unmodified source is included. This checks
// the kernels' arithmetic and indexing; not the CUDA compilation (nvcc does that) or the launch.
#include <barrier>
#include <cmath>
#include <functional>
#include <thread>
#include <vector>

struct dim3h { unsigned x; };
struct double2 { double x, y; };
struct float2 { float x, y; };
static thread_local dim3h threadIdx;
static dim3h blockIdx, gridDim;
static std::barrier<> *block_barrier;
static inline void __syncthreads() { block_barrier->arrive_and_wait(); }
// sincos and sincosf: glibc's (g++ defines _GNU_SOURCE); exp, sqrt, fabs, fmax from <cmath>.
#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(x)
#define __shared__ static

#include "../../main/resources/io/hartree/gpu/kernels/hartree.cu"

// Runs body on `blocks` blocks of BLOCK threads, one block after another (grid-stride loops see gridDim.x = blocks).
static void launch(unsigned blocks, const std::function<void()> &body) {
    gridDim.x = blocks;
    for (unsigned b = 0; b < blocks; b++) {
        blockIdx.x = b;
        std::barrier<> bar(BLOCK);
        block_barrier = &bar;
        std::vector<std::thread> t;
        for (unsigned i = 0; i < BLOCK; i++) t.emplace_back([&, i] { threadIdx.x = i; body(); });
        for (auto &th : t) th.join();
    }
}

extern "C" {
void host_coupled_phase_f64(unsigned blocks, double2 *psi, int n, int m, const double *w0, const double *w1, const double *w2,
                            double f0, double f1, double f2, double x0, double dx, double tau, int imag,
                            double cx, double cy, double cz, double off, const double *U) {
    launch(blocks, [&] { coupled_phase_f64(psi, n, m, w0, w1, w2, f0, f1, f2, x0, dx, tau, imag, cx, cy, cz, off, U); });
}
void host_rabi_f64(unsigned blocks, double2 *psi, int k, u64 n3, double ar, double ai, double br, double bi) {
    launch(blocks, [&] { rabi_f64(psi, k, n3, ar, ai, br, bi); });
}
void host_reduce_cross_f64(unsigned blocks, const double2 *a, const double2 *b, const double *w, int n, int m, double *partials) {
    launch(blocks, [&] { reduce_cross_f64(a, b, w, n, m, partials); });
}
}
