/* bcryptprimitives.dll for Debian 12's wine 8.0, which lacks it: Go 1.24+
 * programs take their random bytes from ProcessPrng in that DLL (part of
 * every Windows 10 and 11) and stop at start without it. This stand-in
 * answers ProcessPrng from RtlGenRandom (advapi32's SystemFunction036).
 * scripts/test-dist-wine.sh builds it with mingw-w64 into the test's own
 * wine prefix only; nothing of it is shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T n) {
  while (n > 0) {
    ULONG c = n > 0x10000000 ? 0x10000000 : (ULONG)n;
    if (!SystemFunction036(data, c)) return FALSE;
    data += c;
    n -= c;
  }
  return TRUE;
}
