#include <stdio.h>
/* Test double of libcufft.so.12 (see fakecuda.c): plans are numbers, transforms are counted no-ops. */
#include <stddef.h>
static int next_plan = 1, live_plans;
static long n_exec;
long fake_cufft_execs(void) { return n_exec; }
int fake_cufft_live_plans(void) { return live_plans; }
/* Fault injection as in fakecuda.c: 0 plan creation (cufftPlan3d, cufftPlanMany, cufftCreate),
 * 1 cufftSetStream, 2 cufftMakePlanMany(64), 3 cufftXtSetJITCallback. */
enum { P_CREATE, P_STREAM, P_MAKE, P_CALLBACK, P_CATEGORIES };
static long pcalls[P_CATEGORIES], pfail_at[P_CATEGORIES];
static int pfail_code[P_CATEGORIES];
static int pfault(int c) {
    pcalls[c]++;
    if (pfail_at[c] != 0 && pcalls[c] == pfail_at[c]) { pfail_at[c] = 0; return pfail_code[c]; }
    return 0;
}
long fake_cufft_calls(int c) { return c >= 0 && c < P_CATEGORIES ? pcalls[c] : -1; }
void fake_cufft_fail_at(int c, long k, int code) { if (c >= 0 && c < P_CATEGORIES) { pfail_at[c] = k > 0 ? pcalls[c] + k : 0; pfail_code[c] = code; } }
int cufftPlan3d(int *p, int nx, int ny, int nz, int type) {
    int f = pfault(P_CREATE);
    if (f) return f;
    if (nx <= 0 || ny <= 0 || nz <= 0) return 4;
    if (type != 0x2a && type != 0x2c && type != 0x29 && type != 0x6a && type != 0x6c && type != 0x69) return 3;
    *p = next_plan++; live_plans++;
    return 0;
}
int cufftPlanMany(int *p, int rank, int *n, int *ie, int is, int id, int *oe, int os, int od, int type, int batch) {
    (void) rank; (void) n; (void) ie; (void) is; (void) id; (void) oe; (void) os; (void) od; (void) type; (void) batch;
    int f = pfault(P_CREATE);
    if (f) return f;
    *p = next_plan++; live_plans++; return 0;
}
int cufftMakePlanMany(int p, int rank, int *n, int *ie, int is, int id, int *oe, int os, int od, int type, int batch, size_t *ws) { int f = pfault(P_MAKE); if (f) return f; (void) p; (void) rank; (void) n; (void) ie; (void) is; (void) id; (void) oe; (void) os; (void) od; (void) type; (void) batch; *ws = 0; return 0; }
int cufftMakePlanMany64(int p, int rank, long long *n, long long *ie, long long is, long long id, long long *oe, long long os, long long od, int type, long long batch, size_t *ws) { int f = pfault(P_MAKE); if (f) return f; (void) p; (void) rank; (void) n; (void) ie; (void) is; (void) id; (void) oe; (void) os; (void) od; (void) type; (void) batch; *ws = 0; return 0; }
int cufftCreate(int *p) { int f = pfault(P_CREATE); if (f) return f; *p = next_plan++; live_plans++; return 0; }
int cufftGetSize(int p, size_t *ws) { (void) p; *ws = 0; return 0; }
int cufftSetWorkArea(int p, void *w) { (void) p; (void) w; return 0; }
int cufftSetAutoAllocation(int p, int a) { (void) p; (void) a; return 0; }
static int exec(int p, void *i, void *o) { if (p <= 0 || !i || !o) return 1; n_exec++; return 0; }
int cufftExecC2C(int p, void *i, void *o, int d) { return d == -1 || d == 1 ? exec(p, i, o) : 4; }
int cufftExecR2C(int p, void *i, void *o) { return exec(p, i, o); }
int cufftExecC2R(int p, void *i, void *o) { return exec(p, i, o); }
int cufftExecZ2Z(int p, void *i, void *o, int d) { return d == -1 || d == 1 ? exec(p, i, o) : 4; }
int cufftExecD2Z(int p, void *i, void *o) { return exec(p, i, o); }
int cufftExecZ2D(int p, void *i, void *o) { return exec(p, i, o); }
int cufftSetStream(int p, void *s) { (void) s; int f = pfault(P_STREAM); if (f) return f; return p > 0 ? 0 : 1; }
int cufftDestroy(int p) { if (p <= 0) return 1; live_plans--; return 0; }
int cufftGetVersion(int *v) { *v = 12000; return 0; }
/* LTO callbacks: checked (a created, not yet made plan; a symbol; LTO IR; a known type; a caller
 * info pointer to a non-null device pointer) and logged as "symbol:type " for the test. */
#include <string.h>
static char cb_log[1024];
const char *fake_cufft_callbacks(void) { return cb_log; }
int cufftXtSetJITCallback(int p, const char *name, const void *fatbin, size_t size, int type, void **info) {
    if (p <= 0 || !name || !fatbin || size == 0 || type < 0 || type > 7 || !info || !*info) return 4;
    int f = pfault(P_CALLBACK);
    if (f) return f;
    char e[96];
    snprintf(e, sizeof e, "%s:%d ", name, type);
    strncat(cb_log, e, sizeof cb_log - strlen(cb_log) - 1);
    return 0;
}
