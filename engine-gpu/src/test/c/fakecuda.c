/* A test double of libcuda.so.1 and libcufft.so.12 for engine-gpu's FakeDeviceTest: the same
 * symbols as the binding sheet, "device" memory is host memory (so copies and memsets are real),
 * kernels and FFTs do nothing but are counted, except the CSR product and the Fock hop kernel
 * (fock.cu's __host__ __device__ core, compiled by g++ into this library), which run on the host. It exercises every FFM call path of the backend on
 * a machine without a GPU; it proves nothing about the kernels themselves. */
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

typedef unsigned long long CUdeviceptr;
/* fock.cu's host entry, linked into this double (g++ -DFOCK_HOST_ENTRY): launches of the hop kernel run it. */
void fock_hop_host(const long long *binom, int brows, int bcols, int ncomp, const long long *comp, int m,
                   const double *diag, const double *self, int npair, const int *pair, const double *pairA,
                   int none, const int *one, const double *oneC, int ntwo, const int *two, const double *twoC,
                   const double *x, double *y, unsigned long long row0, unsigned long long row1);
static long n_launch, n_fft, n_alloc, n_free, n_module, n_event, n_sync;
static size_t fake_free_bytes = (size_t) 6 << 30, alloc_bytes;
static char last_kernel[128];
static int fail_launch;

/* Fault injection by category: the k-th call of a category from the moment it is armed fails
 * with a given CUresult, so that a test can fail every call a constructor makes, one at a time. */
enum { F_ALLOC, F_FUNCTION, F_LAUNCH, F_EVENT, F_COPY, F_CATEGORIES };
static long calls[F_CATEGORIES], fail_at[F_CATEGORIES];
static int fail_code[F_CATEGORIES];
/* Counts a call of category c; returns the code it must fail with (0: it goes on). */
static int fault(int c) {
    calls[c]++;
    if (fail_at[c] != 0 && calls[c] == fail_at[c]) { fail_at[c] = 0; return fail_code[c]; }
    return 0;
}
/* Calls of category c so far (0 alloc, 1 module-function lookup, 2 launch, 3 event creation, 4 host-device copy or memset). */
long fake_calls(int c) { return c >= 0 && c < F_CATEGORIES ? calls[c] : -1; }
/* The k-th call of category c from now fails with code (k = 0 disarms). */
void fake_fail_at(int c, long k, int code) { if (c >= 0 && c < F_CATEGORIES) { fail_at[c] = k > 0 ? calls[c] + k : 0; fail_code[c] = code; } }
long fake_live_events(void) { return n_event; }
/* cuStreamSynchronize and cuCtxSynchronize calls so far (the host waits for the device). */
long fake_synchronizations(void) { return n_sync; }
/* Bytes of every successful cuMemAlloc so far. */
long fake_allocated_bytes(void) { return (long) alloc_bytes; }

long fake_launches(void) { return n_launch; }
long fake_ffts(void) { return n_fft; }
long fake_live_allocations(void) { return n_alloc - n_free; }
long fake_modules(void) { return n_module; }
void fake_set_free(size_t b) { fake_free_bytes = b; }
/* The next launch fails with this CUresult (0: none), as a faulting kernel's would surface. */
void fake_fail_next_launch(int code) { fail_launch = code; }
const char *fake_last_kernel(void) { return last_kernel; }

int cuInit(unsigned int f) { (void) f; return 0; }
int cuDriverGetVersion(int *v) { *v = 13000; return 0; }
int cuDeviceGetCount(int *c) { *c = 1; return 0; }
int cuDeviceGet(int *d, int o) { if (o != 0) return 101; *d = 0; return 0; }
int cuDeviceGetName(char *n, int len, int d) { (void) d; strncpy(n, "Fake GPU (test double)", len); n[len - 1] = 0; return 0; }
int cuDeviceGetAttribute(int *pi, int a, int d) {
    (void) d;
    *pi = a == 75 ? 9 : a == 76 ? 0 : a == 16 ? 4 : 1024;
    return 0;
}
int cuDeviceTotalMem_v2(size_t *b, int d) { (void) d; *b = (size_t) 8 << 30; return 0; }
int cuDevicePrimaryCtxRetain(void **c, int d) { (void) d; *c = (void *) 0x1000; return 0; }
int cuDevicePrimaryCtxRelease_v2(int d) { (void) d; return 0; }
int cuCtxSetCurrent(void *c) { return c == (void *) 0x1000 ? 0 : 201; }
int cuCtxSynchronize(void) { n_sync++; return 0; }
int cuMemGetInfo_v2(size_t *f, size_t *t) { *f = fake_free_bytes; *t = (size_t) 8 << 30; return 0; }
int cuMemAlloc_v2(CUdeviceptr *p, size_t b) {
    int f = fault(F_ALLOC);
    if (f) return f;
    if (b > fake_free_bytes) return 2;
    void *m = calloc(1, b ? b : 1);
    if (!m) return 2;
    *p = (CUdeviceptr) m; n_alloc++; alloc_bytes += b;
    return 0;
}
int cuMemFree_v2(CUdeviceptr p) { free((void *) p); n_free++; return 0; }
int cuMemcpyHtoD_v2(CUdeviceptr d, const void *s, size_t n) { int f = fault(F_COPY); if (f) return f; memcpy((void *) d, s, n); return 0; }
int cuMemcpyDtoH_v2(void *d, CUdeviceptr s, size_t n) { memcpy(d, (void *) s, n); return 0; }
int cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) { memmove((void *) d, (void *) s, n); return 0; }
int cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void *s, size_t n, void *st) { (void) st; memcpy((void *) d, s, n); return 0; }
int cuMemcpyDtoHAsync_v2(void *d, CUdeviceptr s, size_t n, void *st) { (void) st; memcpy(d, (void *) s, n); return 0; }
int cuMemcpyDtoDAsync_v2(CUdeviceptr d, CUdeviceptr s, size_t n, void *st) { (void) st; memmove((void *) d, (void *) s, n); return 0; }
int cuMemsetD8_v2(CUdeviceptr d, unsigned char c, size_t n) { int f = fault(F_COPY); if (f) return f; memset((void *) d, c, n); return 0; }
int cuMemsetD8Async(CUdeviceptr d, unsigned char c, size_t n, void *st) { (void) st; memset((void *) d, c, n); return 0; }
int cuStreamCreate(void **s, unsigned int f) { (void) f; *s = malloc(8); return 0; }
int cuStreamSynchronize(void *s) { (void) s; n_sync++; return 0; }
int cuStreamDestroy_v2(void *s) { free(s); return 0; }
int cuEventCreate(void **e, unsigned int f) { (void) f; int r = fault(F_EVENT); if (r) return r; *e = malloc(8); n_event++; return 0; }
int cuEventRecord(void *e, void *s) { (void) e; (void) s; return 0; }
int cuEventSynchronize(void *e) { (void) e; return 0; }
int cuEventElapsedTime_v2(float *ms, void *a, void *b) { (void) a; (void) b; *ms = 0.25f; return 0; }
int cuEventElapsedTime(float *ms, void *a, void *b) { return cuEventElapsedTime_v2(ms, a, b); }
int cuEventDestroy_v2(void *e) { free(e); n_event--; return 0; }
int cuModuleLoadData(void **m, const void *img) { if (!img) return 1; *m = malloc(8); n_module++; return 0; }
int cuModuleLoadDataEx(void **m, const void *img, unsigned int n, int *opts, void **vals) {
    /* the JIT log options: a char buffer and its size, as NVIDIA's samples pass them */
    for (unsigned int i = 0; i < n; i++)
        if (opts[i] == 3 || opts[i] == 5) ((char *) vals[i])[0] = 0;
    /* a PTX image must be NUL-terminated text starting with a comment or .version */
    if (!img || ((const char *) img)[0] == 0) return 218;
    return cuModuleLoadData(m, img);
}
int cuModuleGetFunction(void **f, void *m, const char *name) { (void) m; int r = fault(F_FUNCTION); if (r) return r; *f = strdup(name); return 0; }
int cuModuleUnload(void *m) { free(m); n_module--; return 0; }
int cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                   unsigned shared, void *stream, void **params, void **extra) {
    (void) gy; (void) gz; (void) by; (void) bz; (void) shared; (void) stream;
    if (!f || !params || extra || gx == 0 || bx == 0 || bx > 1024) return 1;
    strncpy(last_kernel, (const char *) f, sizeof last_kernel - 1);
    int r = fault(F_LAUNCH);
    if (r) return r;
    if (fail_launch) { int c = fail_launch; fail_launch = 0; return c; }
    n_launch++;
    if (strcmp((const char *) f, "csr_spmv_c128") == 0) {
        /* Executed on the host, as hartree.cu defines it, so that the Krylov path can be checked numerically. */
        const unsigned long long *rp = *(const unsigned long long **) params[0];
        const long long *col = *(const long long **) params[1];
        const double *val = *(const double **) params[2], *x = *(const double **) params[3];
        double *y = *(double **) params[4];
        unsigned long long rows = *(unsigned long long *) params[5];
        for (unsigned long long r = 0; r < rows; r++) {
            double re = 0, im = 0;
            for (unsigned long long j = rp[r]; j < rp[r + 1]; j++) {
                double ar = val[2 * j], ai = val[2 * j + 1], br = x[2 * col[j]], bi = x[2 * col[j] + 1];
                re += ar * br - ai * bi; im += ar * bi + ai * br;
            }
            y[2 * r] = re; y[2 * r + 1] = im;
        }
    }
    if (strcmp((const char *) f, "fock_hop_c128") == 0) {
#define P(T, i) (*(T *) params[i])
        fock_hop_host(P(const long long *, 0), P(int, 1), P(int, 2), P(int, 3), P(const long long *, 4), P(int, 5),
                      P(const double *, 6), P(const double *, 7), P(int, 8), P(const int *, 9), P(const double *, 10),
                      P(int, 11), P(const int *, 12), P(const double *, 13), P(int, 14), P(const int *, 15), P(const double *, 16),
                      P(const double *, 17), P(double *, 18), 0, P(unsigned long long, 19));
#undef P
    }
    return 0;
}
int cuGetErrorString(int e, const char **s) { *s = e == 0 ? "no error" : NULL; return e == 0 ? 0 : 1; }
int cuGetErrorName(int e, const char **s) { *s = e == 0 ? "CUDA_SUCCESS" : NULL; return e == 0 ? 0 : 1; }
