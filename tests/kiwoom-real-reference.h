/* kiwoom-real-reference.h — a plain json-glib decoder of REAL frames, for differential tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Same contract and conversion rules as kiwoom_real_scan() (see kiwoom-real-scan.h), written
 * independently over json-glib's DOM so the two can check each other. Not for production:
 * it allocates, and json-glib 1.6 is not strict: it accepts single quotes, comments, "01",
 * "1.", ".5", raw tabs in strings, "\x", "\ud800x", "{} {}" and more. So the two are only
 * compared on frames kiwoom_real_reference_strict_json() accepts; on any other frame the
 * scanner must say MALFORMED.
 */
#pragma once

#include "kiwoom-real-scan.h"

/* RFC 8259 in strict UTF-8, plus the scanner's two limits: surrogate escapes only in pairs,
 * nesting at most KIWOOM_REAL_MAX_DEPTH deep. */
gboolean             kiwoom_real_reference_strict_json (const char           *frame,
                                                        gsize                 length);

KiwoomRealScanStatus kiwoom_real_reference_decode (const char           *frame,
                                                   gsize                 length,
                                                   gint64                received_us,
                                                   KiwoomRealEntryFunc   func,
                                                   gpointer              user_data,
                                                   KiwoomRealScanResult *result);
