/* Test double of libnvrtc.so.13 (see fakecuda.c): records the options, "compiles" by returning a
 * tiny PTX text and, for a real sm_XY target, a CUBIN of a few bytes; a source containing
 * "#error" fails with NVRTC_ERROR_COMPILATION and a log. */
#include <stdlib.h>
#include <string.h>
typedef struct { char *src; int failed; int cubin; int lto; } prog;
static char last_options[1024];
const char *fake_nvrtc_last_options(void) { return last_options; }
const char *nvrtcGetErrorString(int r) { return r == 0 ? "NVRTC_SUCCESS" : "NVRTC_ERROR"; }
int nvrtcVersion(int *ma, int *mi) { *ma = 13; *mi = 0; return 0; }
int nvrtcGetNumSupportedArchs(int *n) { *n = 3; return 0; }
int nvrtcGetSupportedArchs(int *a) { a[0] = 75; a[1] = 80; a[2] = 90; return 0; }
static long creates, destroys;
static int fail_destroy;
long fake_nvrtc_creates(void) { return creates; }
long fake_nvrtc_destroys(void) { return destroys; }
/* The next nvrtcDestroyProgram fails with code and leaves the program as it is (nothing freed). */
void fake_nvrtc_fail_next_destroy(int code) { fail_destroy = code; }
int nvrtcCreateProgram(prog **p, const char *src, const char *name, int nh, const char *const *h, const char *const *in) {
    (void) name; (void) h; (void) in;
    if (!src || nh != 0) return 3;
    *p = calloc(1, sizeof(prog)); (*p)->src = strdup(src); creates++; return 0;
}
int nvrtcDestroyProgram(prog **p) {
    if (!p || !*p) return 4;
    destroys++;
    if (fail_destroy) { int c = fail_destroy; fail_destroy = 0; return c; }
    free((*p)->src); free(*p); *p = NULL; return 0;
}
int nvrtcCompileProgram(prog *p, int n, const char *const *opts) {
    last_options[0] = 0;
    for (int i = 0; i < n; i++) {
        strncat(last_options, opts[i], sizeof last_options - strlen(last_options) - 2);
        strcat(last_options, " ");
        if (strncmp(opts[i], "--gpu-architecture=sm_", 22) == 0) p->cubin = 1;
        if (strcmp(opts[i], "-dlto") == 0) p->lto = 1;
    }
    p->failed = strstr(p->src, "#error") != NULL;
    return p->failed ? 6 : 0;
}
static const char *PTX = "//\n// fake PTX\n.version 9.0\n.target sm_90\n";
int nvrtcGetPTXSize(prog *p, size_t *s) { (void) p; *s = strlen(PTX) + 1; return 0; }
int nvrtcGetPTX(prog *p, char *out) { (void) p; strcpy(out, PTX); return 0; }
int nvrtcGetCUBINSize(prog *p, size_t *s) { *s = p->cubin ? 16 : 0; return 0; }
int nvrtcGetCUBIN(prog *p, char *out) { (void) p; memcpy(out, "\177ELFfakecubin\0\0\0", 16); return 0; }
int nvrtcGetProgramLogSize(prog *p, size_t *s) { *s = p->failed ? 32 : 1; return 0; }
int nvrtcGetProgramLog(prog *p, char *out) { strcpy(out, p->failed ? "hartree.cu(1): error: #error" : ""); return 0; }
/* LTO IR only for a -dlto compilation, as NVRTC (NVRTC_ERROR_INVALID_INPUT otherwise). */
int nvrtcGetLTOIRSize(prog *p, size_t *s) { if (!p->lto) return 3; *s = 8; return 0; }
int nvrtcGetLTOIR(prog *p, char *out) { if (!p->lto) return 3; memcpy(out, "fakeLTO", 8); return 0; }
