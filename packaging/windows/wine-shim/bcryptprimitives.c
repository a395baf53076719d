/*
 * bcryptprimitives.dll for Wine 8 ONLY — never shipped in the bundle or the installer.
 *
 * The Rust standard library (and so cryptography's _rust.pyd) gets its random bytes from
 * bcryptprimitives.dll!ProcessPrng, which every Windows 10/11 has but Wine 8 (Debian 12) does not
 * implement ("DLL load failed while importing _rust").  packaging/build-windows.sh compiles this file with
 * mingw-w64 and copies the DLL into the Wine prefix's system32, so PyInstaller's hooks and the smoke test can
 * import cryptography under Wine.  It forwards to Wine's BCryptGenRandom with the system-preferred RNG
 * (the host's kernel CSPRNG), which is what ProcessPrng is on Windows: a CSPRNG that cannot fail.
 */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
