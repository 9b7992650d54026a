/* kiwoom-rest-private.h — what the tests and fuzzers reach inside KiwoomRest: the steps
 * between a reply's bytes and its result, without a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kiwoom-rest.h"

G_BEGIN_DECLS

/* A reply body as the client reads it: the JSON object, or NULL when it is not one. */
JsonObject *kiwoom_rest_parse_reply_body     (GBytes           *bytes);
/* The error a call ends with for a reply of kind @reply (never KIWOOM_REPLY_OK); @body
 * may be NULL. */
GError     *kiwoom_rest_reply_error          (KiwoomReplyClass  reply,
                                              JsonObject       *body,
                                              KiwoomCallFlags   flags);
/* When a token with this expires_dt (YYYYMMDDHHMMSS, KST) is refreshed, in monotonic
 * time; -1 when @expires_dt is unusable or already past. */
gint64      kiwoom_rest_token_refresh_time   (const char       *expires_dt);

G_END_DECLS
