/*
 * icuuc.dll for Wine 8 ONLY — never shipped in the bundle or the installer.
 *
 * Qt 6's Qt6Core.dll links against the ICU that Windows 10 (1903+) and 11 ship as
 * C:\Windows\System32\icuuc.dll, for 20 ucnv_* converter functions (QStringConverter's codecs beyond
 * UTF-8/16/32 and Latin-1).  Wine 8 has no icuuc.dll, so Qt6Core.dll — and with it all of PySide6 — fails to
 * load ("DLL load failed while importing QtCore").  This stub lets it load under Wine: every converter is
 * reported as unavailable (ucnv_open fails with U_FILE_ACCESS_ERROR, no converter names), which Qt handles
 * as "encoding not supported".  The app itself only uses UTF-8.  Real Windows uses its real ICU.
 */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;
#define U_ILLEGAL_ARGUMENT_ERROR 1
#define U_FILE_ACCESS_ERROR 4
#define EXPORT __declspec(dllexport)

static void fail(UErrorCode *err, UErrorCode code) { if (err && *err <= 0) *err = code; }

EXPORT void *ucnv_open(const char *name, UErrorCode *err) { (void)name; fail(err, U_FILE_ACCESS_ERROR); return NULL; }
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT void ucnv_reset(void *cnv) { (void)cnv; }
EXPORT int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
EXPORT const char *ucnv_getName(const void *cnv, UErrorCode *err) { (void)cnv; fail(err, U_ILLEGAL_ARGUMENT_ERROR); return ""; }
EXPORT void ucnv_getToUCallBack(const void *cnv, void **action, const void **ctx)
{ (void)cnv; if (action) *action = NULL; if (ctx) *ctx = NULL; }
EXPORT void ucnv_getFromUCallBack(const void *cnv, void **action, const void **ctx)
{ (void)cnv; if (action) *action = NULL; if (ctx) *ctx = NULL; }
EXPORT void ucnv_setToUCallBack(void *cnv, void *action, const void *ctx, void **old, const void **oldctx, UErrorCode *err)
{ (void)cnv; (void)action; (void)ctx; if (old) *old = NULL; if (oldctx) *oldctx = NULL; fail(err, U_ILLEGAL_ARGUMENT_ERROR); }
EXPORT void ucnv_setFromUCallBack(void *cnv, void *action, const void *ctx, void **old, const void **oldctx, UErrorCode *err)
{ (void)cnv; (void)action; (void)ctx; if (old) *old = NULL; if (oldctx) *oldctx = NULL; fail(err, U_ILLEGAL_ARGUMENT_ERROR); }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const void *u, int32_t l, int32_t cp, int r, UErrorCode *err)
{ (void)c; (void)a; (void)u; (void)l; (void)cp; (void)r; fail(err, U_ILLEGAL_ARGUMENT_ERROR); }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *b, int32_t l, int r, UErrorCode *err)
{ (void)c; (void)a; (void)b; (void)l; (void)r; fail(err, U_ILLEGAL_ARGUMENT_ERROR); }
EXPORT void ucnv_cbToUWriteUChars(void *args, const void *src, int32_t len, int32_t off, UErrorCode *err)
{ (void)args; (void)src; (void)len; (void)off; fail(err, U_ILLEGAL_ARGUMENT_ERROR); }
EXPORT void ucnv_cbFromUWriteUChars(void *args, const void **src, const void *lim, int32_t off, UErrorCode *err)
{ (void)args; (void)src; (void)lim; (void)off; fail(err, U_ILLEGAL_ARGUMENT_ERROR); }
EXPORT void ucnv_toUnicode(void *cnv, void **t, const void *tl, const char **s, const char *sl, int32_t *o, int8_t f, UErrorCode *err)
{ (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err, U_ILLEGAL_ARGUMENT_ERROR); }
EXPORT void ucnv_fromUnicode(void *cnv, char **t, const char *tl, const void **s, const void *sl, int32_t *o, int8_t f, UErrorCode *err)
{ (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err, U_ILLEGAL_ARGUMENT_ERROR); }
EXPORT int32_t ucnv_toUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; (void)err; return 0; }
EXPORT int32_t ucnv_fromUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; (void)err; return 0; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *std, UErrorCode *err)
{ (void)name; (void)std; fail(err, U_ILLEGAL_ARGUMENT_ERROR); return NULL; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
