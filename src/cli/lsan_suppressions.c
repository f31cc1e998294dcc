/*
 * LeakSanitizer's suppressions, built into the ASan+UBSan build of repcue
 * only (REPCUE_SANITIZE; see CMakeLists.txt), so every way the binary is
 * started - ctest, a test script, a person at a shell - hides the same thing
 * and nothing more.
 *
 * fontconfig, which pango initialises on its own thread the first time a
 * sheet, a report or a timeline is drawn, keeps 288 bytes of its parsed
 * configuration to the end of the process (bookworm's fontconfig 2.14.1;
 * allocated and owned inside libfontconfig.so.1, not reachable from any
 * object repcue holds or releases). Nothing of repcue's is suppressed.
 */
const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
