/* kiwoom-real-scan.h — zero-allocation scanner for Kiwoom WebSocket REAL frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kiwoom_real_scan() turns one text frame into the broker port's event structs without
 * touching the heap or json-glib. It makes two passes: the first checks that the whole frame
 * is well-formed JSON, the second decodes and delivers the entries, so a broken frame never
 * delivers anything.
 *
 * Well-formed means RFC 8259 JSON in strict UTF-8, with two limits of this scanner: a \u escape
 * of a UTF-16 surrogate must be a correctly ordered pair (a lone one has no UTF-8 form), and
 * arrays and objects nest at most KIWOOM_REAL_MAX_DEPTH deep.
 *
 * What the scanner reads
 *   - The top level must be an object; "trnm" selects REAL. Keys may come in any order at
 *     every level, unknown keys and FIDs are ignored, and a duplicated key counts with its
 *     last value, as in json-glib.
 *   - "data" is an array of entries. An absent "data" is a REAL frame with no entries; a
 *     "data" that is not an array counts as one rejected entry.
 *   - An entry is an object with a string "type", an object "values" and an optional string
 *     "item". Any other shape rejects the entry.
 *   - Keys and values are compared after unescaping ("RE\u0041L" is "REAL"), and every
 *     string is read up to its first U+0000, as json-glib's C strings are. A FID key is
 *     its decimal spelling: "010" is not FID 10.
 *
 * Conversion of FID values (all are JSON strings; a FID that is absent or "" gives 0, "" or
 * the enum's zero value, except where said)
 *   - Prices (10, 16, 17, 18, 27, 28, 41–60, 901, 910, 931): an optional sign ('+', '-', or a
 *     space in its place) and one or more ASCII digits; the sign is direction, the value is
 *     the absolute number.
 *   - Quantities and amounts (11, 13, 14, 15, 61–80, 121, 125, 214, 900, 902, 903, 911, 930,
 *     932, 933, 938, 939, 990): the same syntax, the sign is kept.
 *   - Rates (12, 8019): an optional sign, digits, optionally '.' and more digits; the result
 *     is hundredths of a percent, further decimals truncated: "-0.24" → -24, "+0.57" → 57,
 *     "5" → 500, "1.239" → 123. It must fit a gint32.
 *   - Times (20, 21, 908): exactly six digits HHMMSS, read as the decimal number 152028.
 *   - 25 (전일대비기호) and 290 (장구분): unsigned digits up to 255, stored as sent.
 *   - Codes: "9001" when present and not "", else "item", through hoga_code_normalize();
 *     longer than 32 bytes or not normalisable rejects the entry. Session events have none.
 *   - Text (841, 9203, 904, 909, 919, 302, 215): unescaped into the fixed buffer, cut at a
 *     UTF-8 character boundary when it does not fit.
 *   - 913 (접수 체결 확인 취소 거부) maps to HogaOrderStatus, anything else to UNKNOWN.
 *     905 maps to HogaOrderKind after one leading '+' or '-': 매수/매도 NEW, 매수정정/매도정정
 *     MODIFY, 매수취소/매도취소 CANCEL; anything else is NEW. 907: "1" SELL, "2" BUY, else
 *     NONE. 843 must be "I" (inserted) or "D": anything else, "" included, rejects the entry.
 *   - A number that does not fit a gint64, any other character, or a JSON number, boolean,
 *     null, array or object where one of the FIDs above belongs rejects the entry: it is
 *     counted in KiwoomRealScanResult.rejected, the callback is not called for it, and the
 *     scan goes on with the next entry.
 */
#pragma once

#include "hoga-broker.h"

G_BEGIN_DECLS

#define KIWOOM_REAL_MAX_DEPTH 512
#define KIWOOM_REAL_TYPE_SIZE   8   /* "0B" + NUL, cut like a name when longer */
#define KIWOOM_REAL_TRNM_SIZE  16   /* "CNSRREQ" + NUL, cut like a name when longer */

typedef enum {
  KIWOOM_REAL_SCAN_REAL,        /* entries delivered; see delivered and rejected */
  KIWOOM_REAL_SCAN_NOT_REAL,    /* a well-formed object whose "trnm" is not "REAL" */
  KIWOOM_REAL_SCAN_MALFORMED,   /* not well-formed, or not an object: nothing delivered */
} KiwoomRealScanStatus;

typedef enum {
  KIWOOM_REAL_KIND_TICK,        /* 0B, in tick */
  KIWOOM_REAL_KIND_DEPTH,       /* 0D, in depth */
  KIWOOM_REAL_KIND_CONDITION,   /* 02, in condition */
  KIWOOM_REAL_KIND_ORDER,       /* 00, in order */
  KIWOOM_REAL_KIND_BALANCE,     /* 04, in balance */
  KIWOOM_REAL_KIND_SESSION,     /* 0s, in session */
  KIWOOM_REAL_KIND_OTHER,       /* any other type: only type is set */
} KiwoomRealKind;

typedef struct {
  KiwoomRealKind kind;
  char           type[KIWOOM_REAL_TYPE_SIZE];  /* the entry's "type" as sent */
  union {
    HogaTick           tick;
    HogaDepth          depth;
    HogaConditionEvent condition;
    HogaOrderEvent     order;
    HogaBalanceEvent   balance;
    HogaSessionEvent   session;
  };
} KiwoomRealEntry;

typedef struct {
  guint       delivered;        /* REAL: entries passed to the callback */
  guint       rejected;         /* REAL: entries dropped by the conversion rules */
  char        trnm[KIWOOM_REAL_TRNM_SIZE]; /* "trnm" unless MALFORMED; "" if not a string */
  gsize       error_offset;     /* MALFORMED: byte offset where the frame went wrong */
  const char *error_reason;     /* MALFORMED: static English text, NULL otherwise */
} KiwoomRealScanResult;

/* Called once per delivered entry; @entry (every byte of it, padding included, zeroed
 * before it is filled) is valid only during the call. */
typedef void (*KiwoomRealEntryFunc) (const KiwoomRealEntry *entry,
                                     gpointer               user_data);

KiwoomRealScanStatus kiwoom_real_scan (const char           *frame,
                                       gsize                 length,
                                       gint64                received_us,
                                       KiwoomRealEntryFunc   func,
                                       gpointer              user_data,
                                       KiwoomRealScanResult *result);

G_END_DECLS
