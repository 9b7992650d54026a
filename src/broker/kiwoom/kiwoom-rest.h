/* kiwoom-rest.h — Kiwoom REST: token lifecycle, TR calls, paging, rate limits, errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "hoga-broker.h"

G_BEGIN_DECLS

/* What a reply means, from the HTTP status, the top-level return_code (number or string)
 * and the code bracketed in return_msg ("…[8005:…]", "[2000](RC4025:…)", "[CODE=8005, …]"). */
typedef enum {
  KIWOOM_REPLY_OK,
  KIWOOM_REPLY_TOKEN,          /* 8005 / 8031 / 8103 or HTTP 401: re-issue and retry once */
  KIWOOM_REPLY_RATE_LIMIT,     /* 1700: not executed; back off and retry */
  KIWOOM_REPLY_INVALID,        /* 15xx, 1634, 1687: permanent, retrying cannot help */
  KIWOOM_REPLY_UNKNOWN_SYMBOL, /* 1901, 1902 */
  KIWOOM_REPLY_AUTH,           /* other 8xxx: credentials, terminal, mode mismatch */
  KIWOOM_REPLY_REJECTED,       /* any other non-zero code: a business rejection */
  KIWOOM_REPLY_MALFORMED,      /* not a JSON object, or no return_code */
} KiwoomReplyKind;

typedef struct {
  KiwoomReplyKind kind;
  gint64          return_code;   /* top-level, -1 when absent */
  gint64          inner_code;    /* bracketed code, -1 when absent */
} KiwoomReplyClass;

/* Pure classification; @message may be NULL. */
KiwoomReplyClass kiwoom_classify_reply      (guint        http_status,
                                             JsonObject  *body);
KiwoomReplyClass kiwoom_classify_code       (guint        http_status,
                                             gint64       return_code,
                                             const char  *message);
/* The bracketed code of a message, or -1. */
gint64           kiwoom_message_inner_code  (const char  *message);

/* Parses a Kiwoom number string ("+74100", "-00000000196888", " 67300", "000000059000")
 * keeping the sign; FALSE for anything else. "" parses as 0. */
gboolean         kiwoom_parse_int           (const char  *text,
                                             gint64      *value);

typedef enum {
  KIWOOM_CALL_NONE = 0,
  KIWOOM_CALL_ORDER = 1 << 0,  /* an order TR: a lost reply is OUTCOME_UNKNOWN, never retried */
} KiwoomCallFlags;

#define KIWOOM_TYPE_REST (kiwoom_rest_get_type ())
G_DECLARE_FINAL_TYPE (KiwoomRest, kiwoom_rest, KIWOOM, REST, GObject)

/* @base_url: "https://api.kiwoom.com", or the simulated exchange's URL. The keys are kept
 * in memory only (never logged) and wiped on finalize. */
KiwoomRest  *kiwoom_rest_new                (const char          *base_url,
                                             const char          *appkey,
                                             const char          *secretkey);
/* Requests per second per api-id (token bucket, burst = rate); orders share one more
 * bucket of the same rate. Defaults: 5/s. */
void         kiwoom_rest_set_rate_limit     (KiwoomRest          *self,
                                             double               per_second);
/* Seconds before a request without a reply fails. Default 10. */
void         kiwoom_rest_set_timeout        (KiwoomRest          *self,
                                             guint                seconds);

/* The current access token, issuing or refreshing it (10 minutes before expires_dt) when
 * needed. Concurrent callers share one issue request. */
void         kiwoom_rest_get_token_async    (KiwoomRest          *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char        *kiwoom_rest_get_token_finish   (KiwoomRest          *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* Forgets the token (the server refused it, e.g. at WebSocket LOGIN). */
void         kiwoom_rest_invalidate_token   (KiwoomRest          *self);

/* POSTs @body (the TR's fields) to @path with api-id @api_id. With @list_key non-NULL,
 * follows cont-yn/next-key and concatenates that array over every page (at most
 * @max_pages, 0 = 50). Returns the first page's object with the merged list.
 * Errors: HOGA_BROKER_ERROR_*; the message of REJECTED/INVALID/UNKNOWN_SYMBOL is the
 * broker's return_msg. */
void         kiwoom_rest_call_async         (KiwoomRest          *self,
                                             const char          *api_id,
                                             const char          *path,
                                             JsonObject          *body,
                                             const char          *list_key,
                                             guint                max_pages,
                                             KiwoomCallFlags      flags,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
JsonObject  *kiwoom_rest_call_finish        (KiwoomRest          *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Counters, for tests and diagnostics. */
guint        kiwoom_rest_get_n_requests     (KiwoomRest          *self);
guint        kiwoom_rest_get_n_rate_limited (KiwoomRest          *self);
guint        kiwoom_rest_get_n_token_issues (KiwoomRest          *self);

G_END_DECLS
