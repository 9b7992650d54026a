/* fuzz-real-scan.c — libFuzzer target: kiwoom_real_scan() against the json-glib reference
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same differential check as tests/test-real-scan.c, on whatever libFuzzer makes of the
 * seed corpus: input that is not strict JSON must be MALFORMED with nothing delivered; JSON
 * must decode exactly as the reference decodes it. Any difference aborts.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "kiwoom-real-reference.c"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
collect_cb (const KiwoomRealEntry *entry,
            gpointer               user_data)
{
  g_array_append_vals (user_data, entry, 1);
}

static void
check (gboolean    ok,
       const char *what)
{
  if (!ok)
    g_error ("scanner and reference differ: %s", what);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *frame = (const char *) data;
  g_autoptr(GArray) scanned = g_array_new (FALSE, TRUE, sizeof (KiwoomRealEntry));
  g_autoptr(GArray) expected = g_array_new (FALSE, TRUE, sizeof (KiwoomRealEntry));
  KiwoomRealScanResult result;
  KiwoomRealScanResult ref_result;
  KiwoomRealScanStatus status;
  KiwoomRealScanStatus ref_status;

  status = kiwoom_real_scan (frame, size, 42, collect_cb, scanned, &result);
  if (status == KIWOOM_REAL_SCAN_MALFORMED)
    {
      check (scanned->len == 0, "MALFORMED delivered entries");
      check (result.error_reason != NULL, "MALFORMED without a reason");
      check (result.error_offset <= size, "error offset past the frame");
    }
  else
    check (result.delivered == scanned->len, "delivered count");

  if (!kiwoom_real_reference_strict_json (frame, size))
    {
      check (status == KIWOOM_REAL_SCAN_MALFORMED, "non-JSON accepted");
      return 0;
    }

  ref_status = kiwoom_real_reference_decode (frame, size, 42, collect_cb, expected, &ref_result);
  check (status == ref_status, "status");
  check (strcmp (result.trnm, ref_result.trnm) == 0, "trnm");
  check (result.delivered == ref_result.delivered, "delivered");
  check (result.rejected == ref_result.rejected, "rejected");
  check (scanned->len == expected->len, "entry count");
  check (scanned->len == 0
         || memcmp (scanned->data, expected->data, scanned->len * sizeof (KiwoomRealEntry)) == 0,
         "entry contents");
  return 0;
}
