/* Test double of libcusolver.so.12 (see fakecuda.c): Zheevd on the host, for Hermitian matrices
 * with distinct eigenvalues, through the real symmetric embedding [[Re, -Im], [Im, Re]] and cyclic
 * Jacobi; column-major in and out as cuSOLVER, eigenvalues ascending, info = 0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
typedef struct { double x, y; } z;
static int live_handles, fail_stream;
int fake_cusolver_live_handles(void) { return live_handles; }
/* The next cusolverDnSetStream fails with code. */
void fake_cusolver_fail_next_stream(int code) { fail_stream = code; }
int cusolverDnCreate(void **h) { *h = malloc(8); live_handles++; return 0; }
int cusolverDnDestroy(void *h) { free(h); live_handles--; return 0; }
int cusolverDnSetStream(void *h, void *s) { (void) h; (void) s; if (fail_stream) { int c = fail_stream; fail_stream = 0; return c; } return 0; }
int cusolverGetVersion(int *v) { *v = 12004; return 0; }
int cusolverDnZheevd_bufferSize(void *h, int jobz, int uplo, int n, const z *A, int lda, const double *W, int *lwork) {
    (void) h; (void) jobz; (void) uplo; (void) A; (void) lda; (void) W; *lwork = n * n + 1; return 0;
}
int cusolverDnZheevd(void *h, int jobz, int uplo, int n, z *A, int lda, double *W, z *work, int lwork, int *info) {
    (void) h; (void) uplo; (void) work;
    if (jobz != 1 || lwork < n * n + 1) return 3;
    int N = 2 * n;
    double *s = calloc((size_t) N * N, 8), *v = calloc((size_t) N * N, 8);
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
        z a = A[i + j * lda];  /* element (i, j), column-major */
        s[i * N + j] = a.x; s[(i + n) * N + j + n] = a.x; s[i * N + j + n] = -a.y; s[(i + n) * N + j] = a.y;
    }
    for (int i = 0; i < N; i++) v[i * N + i] = 1;
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0;
        for (int p = 0; p < N; p++) for (int q = p + 1; q < N; q++) off += s[p * N + q] * s[p * N + q];
        if (off < 1e-30) break;
        for (int p = 0; p < N; p++) for (int q = p + 1; q < N; q++) {
            double apq = s[p * N + q];
            if (fabs(apq) < 1e-300) continue;
            double th = (s[q * N + q] - s[p * N + p]) / (2 * apq);
            double t = (th >= 0 ? 1 : -1) / (fabs(th) + sqrt(th * th + 1)), c = 1 / sqrt(t * t + 1), sn = t * c;
            for (int k = 0; k < N; k++) { double kp = s[k * N + p], kq = s[k * N + q]; s[k * N + p] = c * kp - sn * kq; s[k * N + q] = sn * kp + c * kq; }
            for (int k = 0; k < N; k++) { double pk = s[p * N + k], qk = s[q * N + k]; s[p * N + k] = c * pk - sn * qk; s[q * N + k] = sn * pk + c * qk; }
            for (int k = 0; k < N; k++) { double kp = v[k * N + p], kq = v[k * N + q]; v[k * N + p] = c * kp - sn * kq; v[k * N + q] = sn * kp + c * kq; }
        }
    }
    int *ord = malloc(sizeof(int) * N);
    for (int i = 0; i < N; i++) ord[i] = i;
    for (int i = 1; i < N; i++) for (int j = i; j > 0 && s[ord[j] * N + ord[j]] < s[ord[j - 1] * N + ord[j - 1]]; j--) { int t = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = t; }
    for (int k = 0; k < n; k++) {
        int c = ord[2 * k];  /* each eigenvalue of A appears twice: (u, w) and (-w, u) give u + i w */
        W[k] = s[c * N + c];
        double nrm = 0;
        for (int i = 0; i < n; i++) nrm += v[i * N + c] * v[i * N + c] + v[(i + n) * N + c] * v[(i + n) * N + c];
        nrm = sqrt(nrm);
        for (int i = 0; i < n; i++) { A[i + k * lda].x = v[i * N + c] / nrm; A[i + k * lda].y = v[(i + n) * N + c] / nrm; }
    }
    free(ord); free(s); free(v);
    *info = 0;
    return 0;
}
