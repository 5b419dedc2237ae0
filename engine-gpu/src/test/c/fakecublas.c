/* Test double of libcublas.so.13 (see fakecuda.c): the _v2 entry points the backend binds, computed
 * on the host ("device" pointers are host memory), column-major as cuBLAS, scalars by host pointer. */
#include <math.h>
#include <stdlib.h>
typedef struct { double x, y; } z;
static int mode = -1;
static int live_handles, fail_stream, fail_mode;
int fake_cublas_live_handles(void) { return live_handles; }
/* The next cublasSetStream_v2 (what 0) or cublasSetPointerMode_v2 (what 1) fails with code. */
void fake_cublas_fail_next(int what, int code) { if (what == 0) fail_stream = code; else fail_mode = code; }
int cublasCreate_v2(void **h) { *h = malloc(8); live_handles++; return 0; }
int cublasDestroy_v2(void *h) { free(h); live_handles--; return 0; }
int cublasGetVersion_v2(void *h, int *v) { (void) h; *v = 130101; return 0; }
int cublasSetStream_v2(void *h, void *s) { (void) h; (void) s; if (fail_stream) { int c = fail_stream; fail_stream = 0; return c; } return 0; }
int cublasSetPointerMode_v2(void *h, int m) { (void) h; if (fail_mode) { int c = fail_mode; fail_mode = 0; return c; } mode = m; return m == 0 || m == 1 ? 0 : 7; }
const char *cublasGetStatusName(int s) { return s == 0 ? "CUBLAS_STATUS_SUCCESS" : "CUBLAS_STATUS_?"; }
int cublasDznrm2_v2(void *h, int n, const z *x, int incx, double *r) {
    (void) h; if (mode != 0) return 7; double s = 0;
    for (int i = 0; i < n; i++) s += x[i * incx].x * x[i * incx].x + x[i * incx].y * x[i * incx].y;
    *r = sqrt(s); return 0;
}
int cublasZdotc_v2(void *h, int n, const z *x, int incx, const z *y, int incy, z *r) {
    (void) h; if (mode != 0) return 7; double re = 0, im = 0;
    for (int i = 0; i < n; i++) { z a = x[i * incx], b = y[i * incy]; re += a.x * b.x + a.y * b.y; im += a.x * b.y - a.y * b.x; }
    r->x = re; r->y = im; return 0;
}
int cublasZscal_v2(void *h, int n, const z *a, z *x, int incx) {
    (void) h; for (int i = 0; i < n; i++) { z v = x[i * incx]; x[i * incx].x = a->x * v.x - a->y * v.y; x[i * incx].y = a->x * v.y + a->y * v.x; } return 0;
}
int cublasZdscal_v2(void *h, int n, const double *a, z *x, int incx) {
    (void) h; for (int i = 0; i < n; i++) { x[i * incx].x *= *a; x[i * incx].y *= *a; } return 0;
}
int cublasZaxpy_v2(void *h, int n, const z *a, const z *x, int incx, z *y, int incy) {
    (void) h; for (int i = 0; i < n; i++) { z v = x[i * incx]; y[i * incy].x += a->x * v.x - a->y * v.y; y[i * incy].y += a->x * v.y + a->y * v.x; } return 0;
}
int cublasZcopy_v2(void *h, int n, const z *x, int incx, z *y, int incy) { (void) h; for (int i = 0; i < n; i++) y[i * incy] = x[i * incx]; return 0; }
static z op(const z *A, int lda, int t, int i, int j) {  /* element (i, j) of op(A), A column-major */
    z v = t == 0 ? A[i + j * lda] : A[j + i * lda];
    if (t == 2) v.y = -v.y;
    return v;
}
int cublasZgemv_v2(void *h, int t, int m, int n, const z *al, const z *A, int lda, const z *x, int incx, const z *be, z *y, int incy) {
    (void) h; int rows = t == 0 ? m : n, cols = t == 0 ? n : m;
    for (int i = 0; i < rows; i++) {
        double re = 0, im = 0;
        for (int j = 0; j < cols; j++) { z a = op(A, lda, t, i, j), b = x[j * incx]; re += a.x * b.x - a.y * b.y; im += a.x * b.y + a.y * b.x; }
        z o = y[i * incy];
        y[i * incy].x = al->x * re - al->y * im + be->x * o.x - be->y * o.y;
        y[i * incy].y = al->x * im + al->y * re + be->x * o.y + be->y * o.x;
    }
    return 0;
}
int cublasDgemm_v2(void *h, int ta, int tb, int m, int n, int k, const double *al, const double *A, int lda, const double *B, int ldb, const double *be, double *C, int ldc) {
    (void) h;
    for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
        double s = 0;
        for (int q = 0; q < k; q++) s += (ta ? A[q + i * lda] : A[i + q * lda]) * (tb ? B[j + q * ldb] : B[q + j * ldb]);
        C[i + j * ldc] = *al * s + *be * C[i + j * ldc];
    }
    return 0;
}
int cublasZgemm_v2(void *h, int ta, int tb, int m, int n, int k, const z *al, const z *A, int lda, const z *B, int ldb, const z *be, z *C, int ldc) {
    (void) h; if (mode != 0) return 7;
    for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
        double re = 0, im = 0;
        for (int q = 0; q < k; q++) { z a = op(A, lda, ta, i, q), b = op(B, ldb, tb, q, j); re += a.x * b.x - a.y * b.y; im += a.x * b.y + a.y * b.x; }
        z o = C[i + j * ldc];
        C[i + j * ldc].x = al->x * re - al->y * im + be->x * o.x - be->y * o.y;
        C[i + j * ldc].y = al->x * im + al->y * re + be->x * o.y + be->y * o.x;
    }
    return 0;
}
