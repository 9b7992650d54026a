/* hx-auth.h — app keys and access tokens (au10001 / au10002)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HX_TYPE_AUTH (hx_auth_get_type ())
G_DECLARE_FINAL_TYPE (HxAuth, hx_auth, HX, AUTH, GObject)

/* Any non-empty app key / secret key pair is accepted unless hx_auth_add_credentials()
 * was called, after which only the listed pairs are (8001 / 8002 otherwise). Tokens
 * expire @lifetime_s real seconds after issue. */
HxAuth      *hx_auth_new              (guint        lifetime_s);
void         hx_auth_add_credentials  (HxAuth      *self,
                                       const char  *appkey,
                                       const char  *secretkey);
/* Returns the new token (owned by @self); *expires_dt is "YYYYMMDDHHMMSS" in KST. */
const char  *hx_auth_issue            (HxAuth      *self,
                                       const char  *appkey,
                                       const char  *secretkey,
                                       char         expires_dt[15],
                                       GError     **error);
/* The app key a valid token belongs to, or NULL (expired, revoked, invalidated, unknown). */
const char  *hx_auth_lookup           (HxAuth      *self,
                                       const char  *token);
gboolean     hx_auth_revoke           (HxAuth      *self,
                                       const char  *appkey,
                                       const char  *secretkey,
                                       const char  *token,
                                       GError     **error);
/* Fault: every issued token becomes invalid (8005) at once. */
void         hx_auth_invalidate_all   (HxAuth      *self);

G_END_DECLS
